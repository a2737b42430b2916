package api

import (
	_ "embed"
	"net/http"
)

// OpenAPI is the API's OpenAPI 3.1 document, served at
// /api/v1/openapi.json; the API's tests validate every request they make
// and every answer they get against it.
//
//go:embed openapi.json
var OpenAPI []byte

// openAPI serves the document to anyone: it describes, it holds no data.
func (h *Handler) openAPI(w http.ResponseWriter, r *http.Request) {
	h.requestID(w, r)
	w.Header().Set("Content-Type", "application/json")
	w.Write(OpenAPI)
}
