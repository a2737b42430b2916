package bot

import "context"

// DigestReply renders a manager's digest of date. A placeholder the
// digest work replaces.
func (c *Conversation) DigestReply(ctx context.Context, managerID int64, date string) (Reply, error) {
	return Reply{Text: "Digest " + date}, nil
}
