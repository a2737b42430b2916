package main

// ImportCmd imports a CSV file.
type ImportCmd struct{}

// ExportCmd exports.
type ExportCmd struct{}

// BackupCmd backs up.
type BackupCmd struct{}

// BenchCmd benchmarks.
type BenchCmd struct{}
