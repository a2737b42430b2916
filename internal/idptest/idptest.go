// Package idptest is an OAuth 2.0 identity provider for tests: the
// authorization endpoint (authorization code with PKCE), the device
// authorization endpoint (RFC 8628), the token endpoint (authorization
// code, refresh token, device code, client credentials, JWT bearer), token
// introspection (RFC 7662, as Dovecot's oauth2 passdb and the test mail
// servers use it) and revocation (RFC 7009), with access tokens that
// expire on the provider's own clock.
package idptest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Provider is a running test identity provider.
type Provider struct {
	URL string // http://127.0.0.1:port

	srv *httptest.Server

	mu        sync.Mutex
	offset    time.Duration // the provider's clock runs ahead of time.Now by this; Advance moves it
	accessTTL time.Duration
	clients   map[string]string // id → secret ("" for a public client)
	user      string            // who signs in at the authorization endpoint
	deny      bool              // the person declines at the authorization endpoint
	codes     map[string]*authCode
	devices   map[string]*device
	access    map[string]*grant
	refresh   map[string]*grant
	accounts  map[string]*rsa.PublicKey // service accounts' client_email → key
	tenants   map[string]bool           // client ids registered only for another directory
	interval  time.Duration             // the device flow's polling interval
	issued    int                       // access tokens issued
	checked   int                       // introspections
}

type authCode struct {
	client, redirect, challenge, scope, user string
}

type device struct {
	code, userCode, client, scope string
	user                          string
	state                         string // pending, approved, denied, used
	expires, lastPoll             time.Time
	interval                      time.Duration
}

type grant struct {
	user, client, scope string
	expires             time.Time     // access tokens only
	ttl                 time.Duration // a refresh grant's access token lifetime; 0: the provider's
	revoked             bool
	refresh             string // the refresh token an access token came from
}

// Client ids and secrets every provider knows.
const (
	PublicClient = "leadwire-public" // no secret: device code and PKCE
	AppClient    = "leadwire-app"    // client credentials
	AppSecret    = "app-secret"
)

// Start runs a provider on a free loopback port until the test ends.
// People sign in as user.
func Start(t testing.TB, user string) *Provider {
	t.Helper()
	p, err := StartOn("127.0.0.1:0", user)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.srv.Close)
	return p
}

// StartOn runs a provider on addr until the process ends: the one address
// a Dovecot configured by scripts/test.sh asks, shared by a package's
// tests, each with users of its own.
func StartOn(addr, user string) (*Provider, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("test identity provider on %s: %w", addr, err)
	}
	p := &Provider{
		accessTTL: time.Hour,
		interval:  5 * time.Second,
		clients:   map[string]string{PublicClient: "", AppClient: AppSecret},
		user:      user,
		codes:     map[string]*authCode{},
		devices:   map[string]*device{},
		access:    map[string]*grant{},
		refresh:   map[string]*grant{},
		accounts:  map[string]*rsa.PublicKey{},
		tenants:   map[string]bool{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /device", p.deviceAuth)
	mux.HandleFunc("POST /token", p.token)
	mux.HandleFunc("POST /introspect", p.introspect)
	mux.HandleFunc("POST /revoke", p.revoke)
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	p.srv = &httptest.Server{Listener: ln, Config: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}}
	p.srv.Start()
	p.URL = p.srv.URL
	return p, nil
}

// Issue signs user in directly, as if through any flow, for client, with
// access tokens of ttl (0: the provider's): it returns the access and
// refresh tokens. Refreshes of this grant get tokens of the same ttl.
func (p *Provider) Issue(user, client string, ttl time.Duration) (access, refresh string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	refresh = "rt-" + random()
	p.refresh[refresh] = &grant{user: user, client: client, scope: "mail", ttl: ttl}
	access = "at-" + random()
	if ttl == 0 {
		ttl = p.accessTTL
	}
	p.access[access] = &grant{user: user, client: client, scope: "mail", refresh: refresh, expires: p.clock().Add(ttl)}
	p.issued++
	return access, refresh
}

// Endpoints of the provider.
func (p *Provider) AuthURL() string       { return p.URL + "/authorize" }
func (p *Provider) DeviceAuthURL() string { return p.URL + "/device" }
func (p *Provider) TokenURL() string      { return p.URL + "/token" }
func (p *Provider) IntrospectURL() string { return p.URL + "/introspect" }

// Now is the provider's clock.
func (p *Provider) Now() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.clock()
}

// clock is the provider's time; p.mu is held.
func (p *Provider) clock() time.Time { return time.Now().Add(p.offset) }

// Advance moves the provider's clock: access tokens and device codes
// expire by it.
func (p *Provider) Advance(d time.Duration) {
	p.mu.Lock()
	p.offset += d
	p.mu.Unlock()
}

// SetAccessTTL sets how long access tokens issued from now on live.
func (p *Provider) SetAccessTTL(d time.Duration) {
	p.mu.Lock()
	p.accessTTL = d
	p.mu.Unlock()
}

// SetInterval sets the polling interval of device sign-ins begun from
// now on (whole seconds; default 5).
func (p *Provider) SetInterval(d time.Duration) {
	p.mu.Lock()
	p.interval = d
	p.mu.Unlock()
}

// Deny makes the person decline at the authorization endpoint.
func (p *Provider) Deny() {
	p.mu.Lock()
	p.deny = true
	p.mu.Unlock()
}

// OtherTenant registers client as an app of another directory: the token
// endpoint refuses it as Microsoft does a wrong tenant.
func (p *Provider) OtherTenant(client string) {
	p.mu.Lock()
	p.tenants[client] = true
	p.mu.Unlock()
}

// Issued is how many access tokens the provider has issued.
func (p *Provider) Issued() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.issued
}

// Introspections is how many tokens have been checked.
func (p *Provider) Introspections() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.checked
}

// Approve signs the person in at the verification page with the user code.
func (p *Provider) Approve(userCode string) { p.decide(userCode, "approved") }

// Decline refuses the device sign-in with the user code.
func (p *Provider) Decline(userCode string) { p.decide(userCode, "denied") }

func (p *Provider) decide(userCode, state string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, d := range p.devices {
		if d.userCode == userCode {
			d.state, d.user = state, p.user
		}
	}
}

// RevokeUser revokes every grant of user, as an admin or the person does
// at the provider: refresh tokens answer invalid_grant, access tokens are
// no longer active.
func (p *Provider) RevokeUser(user string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, m := range []map[string]*grant{p.access, p.refresh} {
		for _, g := range m {
			if g.user == user {
				g.revoked = true
			}
		}
	}
}

// ExpireAccess ends every access token at once, as if their hour passed.
func (p *Provider) ExpireAccess() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, g := range p.access {
		g.expires = p.clock()
	}
}

// Check reports whether token is an active access token of user; the
// test mail servers call it as Dovecot calls introspection.
func (p *Provider) Check(user, token string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.checked++
	g, ok := p.access[token]
	switch {
	case !ok:
		return errors.New("unknown token")
	case g.revoked:
		return errors.New("token revoked")
	case !p.clock().Before(g.expires):
		return errors.New("token expired")
	case !strings.EqualFold(g.user, user):
		return fmt.Errorf("token of %s, not %s", g.user, user)
	}
	return nil
}

// ServiceAccount registers a Google-style service account and returns its
// JSON key, whose token_uri is the provider's token endpoint.
func (p *Provider) ServiceAccount(t testing.TB, email string) []byte {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	p.accounts[email] = &key.PublicKey
	p.mu.Unlock()
	b, _ := json.Marshal(map[string]string{
		"type": "service_account", "client_email": email, "client_id": "1234567890",
		"private_key_id": "k1", "private_key": string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"token_uri": p.TokenURL(),
	})
	return b
}

func random() string {
	var b [18]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p.mu.Lock()
	defer p.mu.Unlock()
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || redirect.Scheme == "" {
		http.Error(w, "bad redirect_uri", http.StatusBadRequest)
		return
	}
	if _, ok := p.clients[q.Get("client_id")]; !ok {
		http.Error(w, "unknown client", http.StatusBadRequest)
		return
	}
	back := redirect.Query()
	back.Set("state", q.Get("state"))
	switch {
	case p.deny:
		back.Set("error", "access_denied")
		back.Set("error_description", "The user declined.")
	case q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "":
		back.Set("error", "invalid_request")
		back.Set("error_description", "PKCE S256 required.")
	default:
		code := random()
		p.codes[code] = &authCode{client: q.Get("client_id"), redirect: q.Get("redirect_uri"),
			challenge: q.Get("code_challenge"), scope: q.Get("scope"), user: p.user}
		back.Set("code", code)
	}
	redirect.RawQuery = back.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

func (p *Provider) deviceAuth(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	p.mu.Lock()
	defer p.mu.Unlock()
	client := r.PostForm.Get("client_id")
	if _, ok := p.clients[client]; !ok {
		oauthError(w, http.StatusBadRequest, "invalid_client", "unknown client")
		return
	}
	d := &device{code: random(), userCode: strings.ToUpper(random()[:8]), client: client, scope: r.PostForm.Get("scope"),
		state: "pending", expires: p.clock().Add(15 * time.Minute), interval: p.interval}
	p.devices[d.code] = d
	writeJSON(w, http.StatusOK, map[string]any{
		"device_code": d.code, "user_code": d.userCode, "verification_uri": p.URL + "/verify",
		"expires_in": 900, "interval": int(d.interval / time.Second),
	})
}

// clientOK checks the client's credentials from the form or basic auth.
func (p *Provider) clientOK(r *http.Request) (string, bool) {
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	} else {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	}
	want, ok := p.clients[id]
	return id, ok && want == secret
}

func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "bad form")
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	f := r.PostForm
	if f.Get("grant_type") == "urn:ietf:params:oauth:grant-type:jwt-bearer" {
		p.jwtBearer(w, f.Get("assertion"))
		return
	}
	client, ok := p.clientOK(r)
	if !ok {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return
	}
	if p.tenants[client] {
		oauthError(w, http.StatusBadRequest, "unauthorized_client",
			"AADSTS700016: Application with identifier '"+client+"' was not found in the directory 'contoso'.")
		return
	}
	switch f.Get("grant_type") {
	case "authorization_code":
		c, ok := p.codes[f.Get("code")]
		delete(p.codes, f.Get("code"))
		sum := sha256.Sum256([]byte(f.Get("code_verifier")))
		switch {
		case !ok || c.client != client || c.redirect != f.Get("redirect_uri"):
			oauthError(w, http.StatusBadRequest, "invalid_grant", "unknown or used code")
		case base64.RawURLEncoding.EncodeToString(sum[:]) != c.challenge:
			oauthError(w, http.StatusBadRequest, "invalid_grant", "PKCE verification failed")
		default:
			p.issue(w, c.user, client, c.scope, true)
		}
	case "refresh_token":
		g, ok := p.refresh[f.Get("refresh_token")]
		if !ok || g.revoked || g.client != client {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "The refresh token has been revoked or has expired.")
			return
		}
		p.issueFrom(w, g, f.Get("refresh_token"))
	case "urn:ietf:params:oauth:grant-type:device_code":
		d, ok := p.devices[f.Get("device_code")]
		if !ok || d.client != client {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "unknown device code")
			return
		}
		tooSoon := !d.lastPoll.IsZero() && p.clock().Sub(d.lastPoll) < d.interval
		d.lastPoll = p.clock()
		switch {
		case !p.clock().Before(d.expires):
			oauthError(w, http.StatusBadRequest, "expired_token", "The device code has expired.")
		case d.state == "denied":
			oauthError(w, http.StatusBadRequest, "access_denied", "The user declined.")
		case d.state == "used":
			oauthError(w, http.StatusBadRequest, "invalid_grant", "The device code was used.")
		case tooSoon:
			d.interval += 5 * time.Second
			oauthError(w, http.StatusBadRequest, "slow_down", "Polling too fast.")
		case d.state == "pending":
			oauthError(w, http.StatusBadRequest, "authorization_pending", "Waiting for the user.")
		default:
			d.state = "used"
			p.issue(w, d.user, client, d.scope, true)
		}
	case "client_credentials":
		if p.clients[client] == "" {
			oauthError(w, http.StatusBadRequest, "unauthorized_client", "a public client has no credentials")
			return
		}
		p.issue(w, "app:"+client, client, f.Get("scope"), false)
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", f.Get("grant_type"))
	}
}

// jwtBearer checks a service account's signed assertion (RFC 7523) and
// issues a token for the user it impersonates (sub).
func (p *Provider) jwtBearer(w http.ResponseWriter, assertion string) {
	parts := strings.Split(assertion, ".")
	if len(parts) != 3 {
		oauthError(w, http.StatusBadRequest, "invalid_grant", "malformed assertion")
		return
	}
	var claims struct {
		Iss   string `json:"iss"`
		Sub   string `json:"sub"`
		Aud   string `json:"aud"`
		Scope string `json:"scope"`
		Exp   int64  `json:"exp"`
	}
	body, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err == nil {
		err = json.Unmarshal(body, &claims)
	}
	sig, err2 := base64.RawURLEncoding.DecodeString(parts[2])
	key := p.accounts[claims.Iss]
	if err != nil || err2 != nil || key == nil {
		oauthError(w, http.StatusBadRequest, "invalid_grant", "unknown service account")
		return
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(key, crypto.SHA256, sum[:], sig) != nil {
		oauthError(w, http.StatusBadRequest, "invalid_grant", "Invalid JWT Signature.")
		return
	}
	if claims.Aud != p.TokenURL() {
		oauthError(w, http.StatusBadRequest, "invalid_grant", "Invalid JWT audience.")
		return
	}
	if claims.Sub == "" {
		oauthError(w, http.StatusBadRequest, "unauthorized_client", "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.")
		return
	}
	p.issue(w, claims.Sub, claims.Iss, claims.Scope, false)
}

// issue answers a new access token, and a refresh token when withRefresh.
func (p *Provider) issue(w http.ResponseWriter, user, client, scope string, withRefresh bool) {
	rt := ""
	if withRefresh {
		rt = "rt-" + random()
		p.refresh[rt] = &grant{user: user, client: client, scope: scope}
	}
	p.answer(w, &grant{user: user, client: client, scope: scope, refresh: rt}, rt)
}

func (p *Provider) issueFrom(w http.ResponseWriter, g *grant, rt string) {
	p.answer(w, &grant{user: g.user, client: g.client, scope: g.scope, refresh: rt, ttl: g.ttl}, "")
}

func (p *Provider) answer(w http.ResponseWriter, g *grant, refresh string) {
	at := "at-" + random()
	ttl := g.ttl
	if ttl == 0 {
		ttl = p.accessTTL
	}
	g.expires = p.clock().Add(ttl)
	p.access[at] = g
	p.issued++
	body := map[string]any{"access_token": at, "token_type": "Bearer", "expires_in": int(ttl / time.Second), "scope": g.scope}
	if refresh != "" {
		body["refresh_token"] = refresh
	}
	writeJSON(w, http.StatusOK, body)
}

func (p *Provider) introspect(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	token := r.PostForm.Get("token")
	if token == "" {
		// Dovecot's oauth2 passdb may send the token as a bearer header
		// or in the query.
		token = strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if token == "" {
			token = r.URL.Query().Get("token")
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.checked++
	g, ok := p.access[token]
	if !ok || g.revoked || !p.clock().Before(g.expires) {
		writeJSON(w, http.StatusOK, map[string]any{"active": false})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"active": true, "sub": g.user, "username": g.user, "email": g.user,
		"scope": g.scope, "client_id": g.client, "exp": g.expires.Unix()})
}

func (p *Provider) revoke(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	p.mu.Lock()
	defer p.mu.Unlock()
	t := r.PostForm.Get("token")
	if g, ok := p.refresh[t]; ok {
		g.revoked = true
		for _, a := range p.access {
			if a.refresh == t {
				a.revoked = true
			}
		}
	}
	if g, ok := p.access[t]; ok {
		g.revoked = true
	}
	w.WriteHeader(http.StatusOK)
}

func (p *Provider) discovery(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer": p.URL, "authorization_endpoint": p.AuthURL(), "device_authorization_endpoint": p.DeviceAuthURL(),
		"token_endpoint": p.TokenURL(), "introspection_endpoint": p.IntrospectURL(), "revocation_endpoint": p.URL + "/revoke",
	})
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
