package problem_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"leadwire/core"
	"leadwire/internal/problem"
)

func TestOneMappingOfErrorsToAnswers(t *testing.T) {
	down := core.Unavailable(errors.New("dial tcp 10.0.0.5:5432: connection refused (user=leadwire database=crm)"))
	for _, tt := range []struct {
		name   string
		err    error
		status int
		detail string
		retry  bool
	}{
		{"no error is 200", nil, 200, "", false},
		{"a database that is away is 503 with Retry-After, and says nothing of the database", fmt.Errorf("capture: %w", down), 503, "send it again", true},
		{"a request that ended first is 503", context.Canceled, 503, "send it again", false},
		{"not found is 404 with core's message", core.Errorf(core.KindNotFound, "no lead L9"), 404, "no lead L9", false},
		{"invalid is 422 with core's message", core.Errorf(core.KindInvalid, "bad email"), 422, "bad email", false},
		{"forbidden is 403", core.Errorf(core.KindForbidden, "not yours"), 403, "not yours", false},
		{"conflict is 409", core.Errorf(core.KindConflict, "taken"), 409, "taken", false},
		{"anything else is 500 and keeps its text to itself", errors.New("pq: relation leads does not exist"), 500, "on our side", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := problem.Of(tt.err)
			if p.Status != tt.status || !strings.Contains(p.Detail, tt.detail) || (p.RetryAfter > 0) != tt.retry {
				t.Errorf("Of(%v) = %+v; want status %d, detail containing %q, retry %v", tt.err, p, tt.status, tt.detail, tt.retry)
			}
			if tt.err != nil && strings.Contains(p.Detail, "5432") || strings.Contains(p.Detail, "relation") {
				t.Errorf("detail %q shows internals", p.Detail)
			}
		})
	}
}

func TestWriteAnswersProblemDetails(t *testing.T) {
	rec := httptest.NewRecorder()
	problem.Of(core.Unavailable(errors.New("disk full"))).Write(rec)
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	if rec.Code != 503 || rec.Header().Get("Retry-After") != "30" || rec.Header().Get("Content-Type") != "application/problem+json" ||
		body["status"] != float64(503) || body["title"] != "Service Unavailable" {
		t.Errorf("got %d %v %s", rec.Code, rec.Header(), rec.Body)
	}
}
