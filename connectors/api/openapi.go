package api

import "net/http"

func (h *Handler) openAPI(w http.ResponseWriter, r *http.Request) {}
