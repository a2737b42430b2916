package telegram

import "sync"

// seen remembers the last ids it was given, so a webhook update Telegram
// sends again (its answer lost, or late) is handled once.
type seen struct {
	mu   sync.Mutex
	ids  map[int64]struct{}
	ring []int64
	next int
}

func newSeen(n int) *seen { return &seen{ids: make(map[int64]struct{}, n), ring: make([]int64, n)} }

// add records id and reports whether it is new.
func (s *seen) add(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.ids[id]; ok {
		return false
	}
	delete(s.ids, s.ring[s.next])
	s.ring[s.next] = id
	s.next = (s.next + 1) % len(s.ring)
	s.ids[id] = struct{}{}
	return true
}
