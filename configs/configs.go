// Package configs holds the files leadwire ships as configuration: the
// annotated example and the default pipeline, embedded in the binary so the
// defaults are the files a reader can open and edit here.
package configs

import _ "embed"

// DefaultPipelines is pipelines.yaml: the pipelines used when a
// configuration lists none. It is a fragment of a leadwire.yaml, with the
// single top-level key pipelines.
//
//go:embed pipelines.yaml
var DefaultPipelines []byte

// Example is leadwire.example.yaml: every configuration key, documented,
// with a realistic international setup. It loads with no environment.
//
//go:embed leadwire.example.yaml
var Example []byte
