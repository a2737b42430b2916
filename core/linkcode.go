package core

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// LinkCode is a one-time code that links a chat account (Telegram) to a
// user: an admin or the user asks for one, the user sends it to the bot.
// Only the code's SHA-256 hash is stored.
type LinkCode struct {
	Hash      string // hex SHA-256 of the normalized code
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    time.Time // zero: not used yet
	UsedBy    int64     // the Telegram id that used it
}

// LinkCodeTx is what a transaction needs to keep link codes.
type LinkCodeTx interface {
	// PutLinkCode stores a new code.
	PutLinkCode(ctx context.Context, c LinkCode) error
	// LinkCodeByHash finds a code, used or not, or KindNotFound.
	LinkCodeByHash(ctx context.Context, hash string) (*LinkCode, error)
	// UseLinkCode marks a code used, once: a code used already is an
	// error of KindConflict.
	UseLinkCode(ctx context.Context, hash string, at time.Time, by int64) error
}

// LinkCodeTTL is how long a link code is valid.
const LinkCodeTTL = 15 * time.Minute

// linkCodeLen is a code's length: 8 characters of a 31-letter alphabet,
// about 40 bits, ample for a code that lives 15 minutes behind a throttle.
const linkCodeLen = 8

// linkAlphabet leaves out the letters read wrongly (0/O, 1/I/L, and U).
const linkAlphabet = "ABCDEFGHJKMNPQRSTVWXYZ23456789"

// Why a link code was refused; RedeemLinkCode's errors wrap one of them,
// and connector counters name them (LinkCounter).
var (
	ErrLinkCodeWrong   = errors.New("wrong")
	ErrLinkCodeExpired = errors.New("expired")
	ErrLinkCodeUsed    = errors.New("used")
)

// LinkConnector names the counters of refused link codes in connector
// status ("telegram:link", counters "refused:wrong", …).
const LinkConnector = "telegram:link"

// linkError is a refusal a user may read, that also tells why.
type linkError struct {
	user *Error
	why  error
}

func (e *linkError) Error() string   { return e.user.Message }
func (e *linkError) Unwrap() []error { return []error{e.user, e.why} }

func refuseLink(why error, key, english string, pairs ...any) error {
	var e *Error
	errors.As(Fail(KindInvalid, key, english, pairs...), &e)
	return &linkError{user: e, why: why}
}

// NewLinkCode returns a new one-time code that links a Telegram account to
// user, valid for LinkCodeTTL.
func (d *Directory) NewLinkCode(ctx context.Context, user *User) (string, error) {
	if user == nil || user.ID == 0 {
		return "", Fail(KindInvalid, "error.link_code_known_user", "a link code is for a known user")
	}
	if !user.Active {
		return "", Fail(KindForbidden, "error.link_user_deactivated", "{Email} is deactivated; activate the user before linking an account", "Email", user.Email)
	}
	code, err := newLinkCode()
	if err != nil {
		return "", fmt.Errorf("new link code: %w", err)
	}
	now := d.clock.Now().UTC()
	err = d.store.Update(ctx, func(tx Tx) error {
		return tx.PutLinkCode(ctx, LinkCode{Hash: HashLinkCode(code), UserID: user.ID, CreatedAt: now, ExpiresAt: now.Add(LinkCodeTTL)})
	})
	if err != nil {
		return "", fmt.Errorf("new link code for %s: %w", user.Email, err)
	}
	return code, nil
}

func newLinkCode() (string, error) {
	b := make([]byte, linkCodeLen)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	out := make([]byte, linkCodeLen)
	for i := range b {
		// Rejection-free: 256 % 30 skews by under 1%, which costs no
		// meaningful strength at this length and lifetime.
		out[i] = linkAlphabet[int(b[i])%len(linkAlphabet)]
	}
	return string(out), nil
}

// NormalizeLinkCode reads a code as typed: case, spaces and dashes do not
// matter.
func NormalizeLinkCode(code string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '-' || r == '\t':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, code)
}

// HashLinkCode is how a code is stored: hex SHA-256 of the normalized
// code.
func HashLinkCode(code string) string {
	sum := sha256.Sum256([]byte(NormalizeLinkCode(code)))
	return hex.EncodeToString(sum[:])
}

// RedeemLinkCode links the Telegram account telegramID to the user the
// code was made for and uses the code up. A wrong, expired or used code is
// refused with an error of KindInvalid that wraps ErrLinkCodeWrong,
// ErrLinkCodeExpired or ErrLinkCodeUsed, and counted under LinkConnector.
// A Telegram account linked to another user moves to this one: the code
// proves the right to it.
func (d *Directory) RedeemLinkCode(ctx context.Context, code string, telegramID int64) (*User, error) {
	now := d.clock.Now().UTC()
	var u *User
	err := d.redeem(ctx, code, telegramID, now, &u)
	if err != nil {
		var le *linkError
		if errors.As(err, &le) {
			cerr := d.store.Update(ctx, func(tx Tx) error {
				return tx.CountConnector(ctx, LinkConnector, "refused:"+le.why.Error(), 1, now)
			})
			if cerr != nil {
				d.log.Error("count refused link code", "err", cerr)
			}
			return nil, err
		}
		return nil, fmt.Errorf("redeem link code: %w", err)
	}
	return u, nil
}

func (d *Directory) redeem(ctx context.Context, code string, telegramID int64, now time.Time, out **User) error {
	norm := NormalizeLinkCode(code)
	if len(norm) != linkCodeLen || strings.Trim(norm, linkAlphabet) != "" {
		return refuseLink(ErrLinkCodeWrong, "error.link_code_malformed", `"{Code}" is not a link code; a code has {N} letters and digits, e.g. /start K7QX4M2P`, "Code", code, "N", linkCodeLen)
	}
	if telegramID == 0 {
		return Fail(KindInvalid, "error.link_no_telegram", "no Telegram account to link")
	}
	wrong := refuseLink(ErrLinkCodeWrong, "error.link_code_wrong", "That code is not valid. Check it, or ask for a new one with: leadwire users link-code YOUR-EMAIL")
	return d.store.Update(ctx, func(tx Tx) error {
		hash := HashLinkCode(norm)
		lc, err := tx.LinkCodeByHash(ctx, hash)
		switch {
		case IsNotFound(err):
			return wrong
		case err != nil:
			return err
		case !lc.UsedAt.IsZero():
			return refuseLink(ErrLinkCodeUsed, "error.link_code_used", "That code was used already; a code links one account once. Ask for a new one.")
		case !now.Before(lc.ExpiresAt):
			return refuseLink(ErrLinkCodeExpired, "error.link_code_expired", "That code expired (codes are valid {Minutes} minutes). Ask for a new one.", "Minutes", int(LinkCodeTTL.Minutes()))
		}
		if err := tx.UseLinkCode(ctx, hash, now, telegramID); err != nil {
			if KindOf(err) == KindConflict {
				return refuseLink(ErrLinkCodeUsed, "error.link_code_used", "That code was used already; a code links one account once. Ask for a new one.")
			}
			return err
		}
		u, err := tx.UserByID(ctx, lc.UserID)
		if err != nil {
			return err
		}
		if !u.Active {
			return Fail(KindForbidden, "error.link_code_user_deactivated", "the user this code was made for is deactivated")
		}
		// The code's owner links their own account, in Telegram.
		ctx := WithVia(ctx, ViaTelegram)
		if other, err := tx.UserByTelegramID(ctx, telegramID); err == nil && other.ID != u.ID {
			was := *other
			other.TelegramID = 0
			if err := tx.UpdateUser(ctx, other); err != nil {
				return err
			}
			if err := d.auditUser(ctx, tx, u, "user.unlink", &was, other); err != nil {
				return err
			}
		} else if err != nil && !IsNotFound(err) {
			return err
		}
		was := *u
		u.TelegramID = telegramID
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if err := d.auditUser(ctx, tx, u, "user.link", &was, u); err != nil {
			return err
		}
		*out = u
		return nil
	})
}
