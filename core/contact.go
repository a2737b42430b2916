package core

import "time"

// Identity kinds by which a contact is matched.
const (
	IdentityEmail  = "email"
	IdentityPhone  = "phone"
	IdentityHandle = "handle" // "telegram:12345", "slack:U123"
)

// Contact is a person we sell to.
type Contact struct {
	ID      int64
	Name    string
	Emails  []string // normalized: lower-case
	Phones  []string // E.164
	Handles []string // "channel:id"
	// InvalidPhones are phones as written that are not valid numbers:
	// kept for a person to read, never used to find the contact.
	InvalidPhones []string
	Company       string
	CompanyID     int64 // the company record it belongs to; 0 none
	Domain        string
	Source        string // first-touch channel
	TeamID        int64
	// TimeZone is the contact's IANA zone when known ("" unknown):
	// sequence mail is sent in its working hours.
	TimeZone string
	// Locale is the language the person wrote to us in (BCP 47, ""
	// unknown): their Telegram's, their browser's, their mail's. What
	// leadwire answers them is in it.
	Locale string
	// MergedInto is the contact this one was merged into (0: none): it
	// is kept, without identities or search terms, for an unmerge.
	MergedInto int64
	// ErasedAt is when the person's data was erased at their request;
	// the contact stays, anonymous, for the deals and counts on it.
	ErasedAt time.Time
	// UnsubscribedAt is when the contact asked for no more sequence mail.
	UnsubscribedAt time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Ref names the contact: "C12".
func (c *Contact) Ref() string { return ContactRef(c.ID) }

// Identity is one key a contact can be found by.
type Identity struct {
	Kind  string
	Value string
}

// Identities lists the contact's emails, phones and handles.
func (c *Contact) Identities() []Identity {
	var ids []Identity
	for _, e := range c.Emails {
		ids = append(ids, Identity{IdentityEmail, e})
	}
	for _, p := range c.Phones {
		ids = append(ids, Identity{IdentityPhone, p})
	}
	for _, h := range c.Handles {
		ids = append(ids, Identity{IdentityHandle, h})
	}
	return ids
}

// AddIdentity adds a stored identity to the contact's emails, phones or
// handles by its kind; an unknown kind is ignored.
func (c *Contact) AddIdentity(kind, value string) {
	switch kind {
	case IdentityEmail:
		c.Emails = append(c.Emails, value)
	case IdentityPhone:
		c.Phones = append(c.Phones, value)
	case IdentityHandle:
		c.Handles = append(c.Handles, value)
	}
}

// SearchHit is one result of a search over contacts, leads and deals.
type SearchHit struct {
	ContactID int64
	Name      string
	Company   string
	Email     string
	Phone     string
	LeadID    int64 // the newest lead of the contact within the search's reach, if any
	DealID    int64 // the newest deal of the contact within the search's reach, if any
}

// SearchFilter is a contact search and the reach it is confined to: every
// team, or a team's contacts and the contacts of one user's own leads and
// deals. A filter that reaches nobody (not Everyone, no TeamID, no
// OwnerID) finds nothing: being in no team never means every team.
type SearchFilter struct {
	Query    string
	Everyone bool  // every contact: an admin's search
	TeamID   int64 // the team's contacts
	OwnerID  int64 // the contacts of this user's leads and deals
	Limit    int
}

// ContactFilter pages through contacts by id.
type ContactFilter struct {
	TeamID    int64 // 0: every team
	CompanyID int64 // 0: every company
	AfterID   int64
	Limit     int // 0: 500
}

// PossibleDuplicate marks two contacts that may be one person: an inbound
// found OtherID by a weak key (a phone, or a chat handle it did not come
// through) while its name or email disagreed, so it was kept apart as
// ContactID; or one contact was given a phone or handle the other holds.
// Nobody is merged: a person decides.
type PossibleDuplicate struct {
	ContactID int64
	OtherID   int64
	Kind      string // the shared identity: IdentityPhone or IdentityHandle
	Value     string
	At        time.Time
}
