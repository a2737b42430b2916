package api

func (h *Handler) writeRoutes() map[string]route { return nil }
