package logdigest

import (
	"os"
	"syscall"
)

func init() {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err == nil {
		_ = syscall.Dup2(int(null.Fd()), 1)
	}
}
