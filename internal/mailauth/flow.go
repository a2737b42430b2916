package mailauth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
	"golang.org/x/oauth2/google"
)

// Config is the settings as golang.org/x/oauth2 takes them.
func (s Settings) Config(redirect string) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     s.ClientID,
		ClientSecret: s.ClientSecret,
		RedirectURL:  redirect,
		Scopes:       s.Scopes,
		Endpoint: oauth2.Endpoint{
			AuthURL: s.AuthURL, DeviceAuthURL: s.DeviceAuthURL, TokenURL: s.TokenURL,
			// Public clients (device code, PKCE) have no secret: the
			// client id goes in the form, which every provider takes.
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
}

// Discover fills a generic provider's missing endpoints from its issuer's
// metadata (OpenID Connect discovery, else RFC 8414).
func (s *Settings) Discover(ctx context.Context, client *http.Client) error {
	if s.Issuer == "" || (s.TokenURL != "" && (s.AuthURL != "" || s.DeviceAuthURL != "")) {
		return nil
	}
	if client == nil {
		client = http.DefaultClient
	}
	base := strings.TrimSuffix(s.Issuer, "/")
	var last error
	for _, path := range []string{"/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"} {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err != nil {
			last = err
			continue
		}
		var meta struct {
			Auth   string `json:"authorization_endpoint"`
			Device string `json:"device_authorization_endpoint"`
			Token  string `json:"token_endpoint"`
		}
		err = json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&meta)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || err != nil || meta.Token == "" {
			last = fmt.Errorf("%s answered %s", base+path, resp.Status)
			continue
		}
		s.AuthURL, s.DeviceAuthURL, s.TokenURL = cmpOr(s.AuthURL, meta.Auth), cmpOr(s.DeviceAuthURL, meta.Device), cmpOr(s.TokenURL, meta.Token)
		return nil
	}
	return fmt.Errorf("discover the endpoints of %s: %w", s.Issuer, last)
}

// UsesDeviceFlow reports whether a delegated sign-in runs the device
// authorization grant rather than the authorization code flow.
func (s Settings) UsesDeviceFlow() bool {
	if p, ok := PresetOf(s.Provider, s.Tenant); ok {
		return p.DeviceFlow
	}
	return s.DeviceAuthURL != "" && s.AuthURL == ""
}

// DevicePrompt is what a person must do to approve a device sign-in.
type DevicePrompt struct {
	URL      string // where to go
	UserCode string // what to type there
	Expires  time.Time
}

// Device runs the device authorization grant (RFC 8628): it asks for a
// code, hands it to prompt, and polls until the person approves, declines
// or the code expires. wait sleeps between polls (nil: real time).
func Device(ctx context.Context, s Settings, prompt func(DevicePrompt), wait func(context.Context, time.Duration) error) (*oauth2.Token, error) {
	if err := s.Discover(ctx, nil); err != nil {
		return nil, err
	}
	if s.DeviceAuthURL == "" {
		return nil, fmt.Errorf("the provider has no device authorization endpoint; set oauth2.device_auth_url or sign in with a browser")
	}
	conf := s.Config("")
	da, err := conf.DeviceAuth(ctx)
	if err != nil {
		return nil, Explain(s, err)
	}
	uri := da.VerificationURIComplete
	if uri == "" {
		uri = da.VerificationURI
	}
	prompt(DevicePrompt{URL: uri, UserCode: da.UserCode, Expires: da.Expiry})
	if wait == nil {
		wait = sleep
	}
	interval := time.Duration(da.Interval) * time.Second
	if interval <= 0 {
		interval = 5 * time.Second
	}
	for {
		if err := wait(ctx, interval); err != nil {
			return nil, err
		}
		form := url.Values{
			"grant_type":  {"urn:ietf:params:oauth:grant-type:device_code"},
			"device_code": {da.DeviceCode},
			"client_id":   {s.ClientID},
		}
		if s.ClientSecret != "" {
			form.Set("client_secret", s.ClientSecret)
		}
		tok, code, err := post(ctx, s.TokenURL, form)
		switch code {
		case "":
			if err != nil {
				return nil, err
			}
			return tok, nil
		case "authorization_pending":
		case "slow_down":
			interval += 5 * time.Second // RFC 8628 3.5
		default:
			return nil, Explain(s, err)
		}
	}
}

// post sends a token request and returns the token, or the OAuth error
// code with an *oauth2.RetrieveError.
func post(ctx context.Context, tokenURL string, form url.Values) (*oauth2.Token, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	client := http.DefaultClient
	if c, ok := ctx.Value(oauth2.HTTPClient).(*http.Client); ok && c != nil {
		client = c
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, "", fmt.Errorf("token request to %s: %w", tokenURL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, "", fmt.Errorf("token request to %s: %w", tokenURL, err)
	}
	var v struct {
		AccessToken  string `json:"access_token"`
		TokenType    string `json:"token_type"`
		RefreshToken string `json:"refresh_token"`
		ExpiresIn    int64  `json:"expires_in"`
		Error        string `json:"error"`
		Description  string `json:"error_description"`
	}
	_ = json.Unmarshal(body, &v)
	if resp.StatusCode != http.StatusOK || v.Error != "" || v.AccessToken == "" {
		code := v.Error
		if code == "" {
			code = "server_error"
		}
		return nil, code, &oauth2.RetrieveError{Response: resp, Body: body, ErrorCode: code, ErrorDescription: v.Description}
	}
	tok := &oauth2.Token{AccessToken: v.AccessToken, TokenType: v.TokenType, RefreshToken: v.RefreshToken}
	if v.ExpiresIn > 0 {
		tok.Expiry = time.Now().Add(time.Duration(v.ExpiresIn) * time.Second)
	}
	return tok, "", nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// ErrStateMismatch is the answer to an authorization code redirect that
// was not for the sign-in waiting: its state differs.
var ErrStateMismatch = errors.New("the sign-in answer's state does not match this sign-in (a stale or forged redirect); it was refused")

// CallbackPath is where the provider sends the person back.
const CallbackPath = "/oauth/callback"

// AuthCode runs the authorization code flow with PKCE on a loopback
// redirect (http://127.0.0.1:PORT/oauth/callback): it listens, hands the
// URL to open to prompt, and exchanges the code the provider sends back.
// An answer with another state is refused and the wait goes on.
func AuthCode(ctx context.Context, s Settings, prompt func(url string)) (*oauth2.Token, error) {
	if err := s.Discover(ctx, nil); err != nil {
		return nil, err
	}
	if s.AuthURL == "" {
		return nil, fmt.Errorf("the provider has no authorization endpoint; set oauth2.auth_url")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen for the sign-in's redirect: %w", err)
	}
	defer ln.Close()
	redirect := "http://" + ln.Addr().String() + CallbackPath
	authURL, state, verifier := AuthCodeURL(s, redirect)
	type answer struct {
		tok *oauth2.Token
		err error
	}
	done := make(chan answer, 1)
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != CallbackPath {
			http.NotFound(w, r)
			return
		}
		q := r.URL.Query()
		if q.Get("state") != state {
			http.Error(w, ErrStateMismatch.Error(), http.StatusBadRequest)
			return
		}
		var a answer
		if code := q.Get("error"); code != "" {
			a.err = Explain(s, &oauth2.RetrieveError{ErrorCode: code, ErrorDescription: q.Get("error_description")})
		} else {
			a.tok, a.err = Exchange(ctx, s, redirect, q.Get("code"), verifier)
		}
		if a.err != nil {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, "<p>Sign-in failed: %s</p>", html.EscapeString(a.err.Error()))
		} else {
			fmt.Fprint(w, "<p>Signed in. You may close this page and go back to the terminal.</p>")
		}
		select {
		case done <- a:
		default:
		}
	})}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	prompt(authURL)
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case a := <-done:
		return a.tok, a.err
	}
}

// AuthCodeURL returns the address that begins an authorization code
// sign-in with PKCE coming back to redirect, with its state and verifier
// (both secret until the answer comes).
func AuthCodeURL(s Settings, redirect string) (authURL, state, verifier string) {
	state, verifier = randomString(), oauth2.GenerateVerifier()
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier)}
	if s.Provider == Google {
		// A refresh token, asked for again on every sign-in.
		opts = append(opts, oauth2.AccessTypeOffline, oauth2.SetAuthURLParam("prompt", "consent"))
	}
	return s.Config(redirect).AuthCodeURL(state, opts...), state, verifier
}

// Exchange trades the code the provider sent back for tokens.
func Exchange(ctx context.Context, s Settings, redirect, code, verifier string) (*oauth2.Token, error) {
	if err := s.Discover(ctx, nil); err != nil {
		return nil, err
	}
	tok, err := s.Config(redirect).Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, Explain(s, err)
	}
	return tok, nil
}

func randomString() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// AppTokenSource returns the token source of an app-only grant for
// account: a Google service account's JWT bearer grant impersonating
// account (domain-wide delegation), or client credentials.
func AppTokenSource(ctx context.Context, s Settings, account string) (oauth2.TokenSource, error) {
	if s.Provider == Google {
		key, err := os.ReadFile(s.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("read the service account key: %w", err)
		}
		conf, err := google.JWTConfigFromJSON(key, s.Scopes...)
		if err != nil {
			return nil, fmt.Errorf("service account key %s: %w", s.KeyFile, err)
		}
		// The key's token_uri names the token endpoint.
		conf.Subject = account
		return conf.TokenSource(ctx), nil
	}
	cc := clientcredentials.Config{ClientID: s.ClientID, ClientSecret: s.ClientSecret, TokenURL: s.TokenURL, Scopes: s.Scopes,
		AuthStyle: oauth2.AuthStyleInParams}
	return cc.TokenSource(ctx), nil
}
