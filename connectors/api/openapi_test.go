package api_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"leadwire/connectors/api"
	"leadwire/storage/storagetest"
)

var (
	specOnce sync.Once
	spec     *openapi3.T
	specErr  error
)

// loadSpec loads and validates the served OpenAPI document once.
func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	specOnce.Do(func() {
		spec, specErr = openapi3.NewLoader().LoadFromData(api.OpenAPI)
		if specErr == nil {
			specErr = spec.Validate(context.Background())
		}
	})
	if specErr != nil {
		t.Fatalf("openapi.json: %v", specErr)
	}
	return spec
}

// validator checks every request a test makes and every answer it gets
// against the OpenAPI document: an answer the document does not describe
// fails the test, and so does a request the document calls invalid that
// the API took.
type validator struct {
	t      *testing.T
	router routers.Router
}

func (e *env) client(t *testing.T) *http.Client {
	doc := *loadSpec(t)
	doc.Servers = openapi3.Servers{{URL: e.srv.URL + "/api/v1"}}
	router, err := legacy.NewRouter(&doc)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Transport: &validator{t: t, router: router}}
}

func (v *validator) RoundTrip(req *http.Request) (*http.Response, error) {
	v.t.Helper()
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	check := req.Clone(req.Context())
	check.Body = io.NopCloser(bytes.NewReader(body))
	route, params, routeErr := v.router.FindRoute(check)
	var input *openapi3filter.RequestValidationInput
	var reqErr error
	if routeErr == nil {
		input = &openapi3filter.RequestValidationInput{Request: check, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
		reqErr = openapi3filter.ValidateRequest(req.Context(), input)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(raw))
	switch {
	case routeErr != nil:
		if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusMethodNotAllowed {
			v.t.Errorf("%s %s is in no path of openapi.json, yet answered %d", req.Method, req.URL.Path, resp.StatusCode)
		}
		return resp, nil
	case reqErr != nil && resp.StatusCode < 400:
		v.t.Errorf("openapi.json calls %s %s invalid (%v), yet it answered %d", req.Method, req.URL, reqErr, resp.StatusCode)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: input, Status: resp.StatusCode, Header: resp.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	out.SetBodyBytes(raw)
	if err := openapi3filter.ValidateResponse(req.Context(), out); err != nil {
		v.t.Errorf("the answer %d to %s %s is not as openapi.json says: %v\n%s", resp.StatusCode, req.Method, req.URL.Path, err, raw)
	}
	return resp, nil
}

func TestTheOpenAPIDocumentIsServedAndValid(t *testing.T) {
	loadSpec(t)
	if !spec.IsOpenAPI31OrLater() {
		t.Errorf("openapi %s, want 3.1", spec.OpenAPI)
	}
	e := newEnv(t, storagetest.SQLite(t), api.Options{})
	resp, err := http.Get(e.srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"openapi": "3.1.0"`) {
		t.Errorf("got %d %.100s", resp.StatusCode, b)
	}
}
