package core

// noOwner is an owner id no record has. An actor without an id (nobody in
// particular: an adapter that found no user) owns nothing, and a filter on
// owner 0 would mean anybody's, so their own records are asked for as
// noOwner's.
const noOwner int64 = -1

// ownID is the owner id that stands for the actor's own records in a
// filter: the actor's id, or noOwner.
func ownID(actor *User) int64 {
	if actor.ID == 0 {
		return noOwner
	}
	return actor.ID
}
