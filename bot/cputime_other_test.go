//go:build !linux

package bot

import "time"

// threadCPU is 0 where the thread's CPU time is not read: the benchmark
// then reports wall time only.
func threadCPU() time.Duration { return 0 }
