package core

import (
	"strconv"
	"strings"
)

// PeopleReader is the people area's read port: companies, and what merge,
// erase and the audit log read.
type PeopleReader interface {
	CompanyReader
	MergeReader
	AuditReader
	ErasureReader
	RetentionReader
}

// PeopleTx is the people area's write port.
type PeopleTx interface {
	CompanyTx
	MergeTx
	AuditTx
	ErasureTx
	RetentionTx
}

// ContactRef names a contact in chat, on the command line and in JSON:
// "C12".
func ContactRef(id int64) string { return "C" + strconv.FormatInt(id, 10) }

// ParseContactRef reads "C12" or "c12".
func ParseContactRef(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if len(t) >= 2 && t[0]&^0x20 == 'C' {
		if id, err := strconv.ParseInt(t[1:], 10, 64); err == nil && id > 0 {
			return id, nil
		}
	}
	return 0, Fail(KindInvalid, "error.not_contact_id", `"{Value}" is not a contact id; write it like C12`, "Value", s)
}
