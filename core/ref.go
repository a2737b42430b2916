package core

import (
	"strconv"
	"strings"
)

// Ref names a lead ("L123"), a deal ("D45") or a task ("T7") in chat and
// on the command line.
type Ref struct {
	Kind byte // 'L', 'D' or 'T'
	ID   int64
}

// ParseRef reads "L123", "d45" or "T7".
func ParseRef(s string) (Ref, error) {
	s = strings.TrimSpace(s)
	if len(s) >= 2 {
		k := s[0] &^ 0x20 // upper-case ASCII
		if k == 'L' || k == 'D' || k == 'T' {
			if id, err := strconv.ParseInt(s[1:], 10, 64); err == nil && id > 0 {
				return Ref{Kind: k, ID: id}, nil
			}
		}
	}
	return Ref{}, Fail(KindInvalid, "error.not_ref", `"{Value}" is not a lead, deal or task id; write it like L123, D45 or T7`, "Value", s)
}

// ParseRefOf reads a ref that must be of the given kind.
func ParseRefOf(s string, kind byte) (int64, error) {
	r, err := ParseRef(s)
	if err == nil && r.Kind == kind {
		return r.ID, nil
	}
	switch kind {
	case 'L':
		return 0, Fail(KindInvalid, "error.not_lead_ref", `"{Value}" is not a lead id like L123`, "Value", s)
	case 'D':
		return 0, Fail(KindInvalid, "error.not_deal_ref", `"{Value}" is not a deal id like D45`, "Value", s)
	}
	return 0, Fail(KindInvalid, "error.not_task_ref", `"{Value}" is not a task id like T7`, "Value", s)
}

func (r Ref) String() string { return string(r.Kind) + strconv.FormatInt(r.ID, 10) }

// TaskRef names a task: "T7".
func TaskRef(id int64) string { return "T" + strconv.FormatInt(id, 10) }
