package mailauth

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/oauth2"
)

// SignInError is a grant the provider no longer honours (invalid_grant:
// revoked, expired, the password changed) or that was never made: only a
// person signing in again mends it.
type SignInError struct {
	Mailbox string // the mailbox to connect
	Reason  string // the provider's words, without tokens
}

func (e *SignInError) Error() string {
	msg := fmt.Sprintf("sign-in needed: run `leadwire email connect %s`", e.Mailbox)
	if e.Reason != "" {
		msg += " (" + e.Reason + ")"
	}
	return msg
}

// IsSignInNeeded reports whether err asks for a new sign-in.
func IsSignInNeeded(err error) bool {
	var se *SignInError
	return errors.As(err, &se)
}

// Explain turns a provider's refusal into what a person can act on,
// naming the provider's error code. It never repeats a token: the
// provider's body is left out, its description kept.
func Explain(s Settings, err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return err
	}
	desc := strings.TrimSpace(re.ErrorDescription)
	if i := strings.IndexAny(desc, "\r\n"); i >= 0 {
		desc = desc[:i]
	}
	code := re.ErrorCode
	var msg string
	switch {
	case code == "access_denied":
		msg = "the sign-in was declined at the provider; run it again and accept, or ask an admin to allow the app"
	case code == "expired_token":
		msg = "the code expired before anyone signed in; run `leadwire email connect` again and sign in within the time shown"
	case strings.Contains(desc, "AADSTS700016") || strings.Contains(desc, "AADSTS90002") || strings.Contains(desc, "AADSTS50020") || strings.Contains(desc, "AADSTS50194"):
		msg = fmt.Sprintf("wrong tenant: the app or the account is not in the directory %q; set oauth2.tenant to the directory the app is registered in", s.Tenant)
	case code == "invalid_scope" || code == "consent_required" || strings.Contains(desc, "AADSTS65001"):
		msg = fmt.Sprintf("the scopes %s were not granted to the app; add them to its registration (an admin may have to consent)", strings.Join(s.Scopes, " "))
	case code == "invalid_client":
		msg = "the provider refused the client id or secret; check oauth2.client_id and oauth2.client_secret"
	case code == "unauthorized_client" && s.Provider == Google:
		msg = "the service account may not act for this address: in the Google Workspace admin console, add its client id under domain-wide delegation with the scope https://mail.google.com/"
	case code == "unauthorized_client":
		msg = "the app may not use this kind of sign-in; check its registration (public client flows, or application permissions)"
	case code == "invalid_grant":
		msg = "the grant is no longer valid (revoked, expired, or the password changed)"
	default:
		msg = "the provider refused the sign-in"
	}
	if desc != "" {
		return fmt.Errorf("%s [%s: %s]", msg, code, desc)
	}
	return fmt.Errorf("%s [%s]", msg, code)
}
