package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"leadwire/core"
)

// confirm asks question on stderr and reads the answer from standard
// input: yes or y goes ahead. Without an answer (no terminal, end of
// input) nothing is done, and the refusal says to pass --yes.
func (a *App) confirm(question string) (bool, error) {
	fmt.Fprintf(a.errOut, "%s [y/N] ", question)
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	answer := strings.ToLower(strings.TrimSpace(line))
	if answer == "y" || answer == "yes" {
		return true, nil
	}
	fmt.Fprintln(a.errOut)
	if err != nil && answer == "" {
		return false, core.Errorf(core.KindInvalid, "no answer on standard input; pass --yes to go ahead without asking")
	}
	fmt.Fprintln(a.errOut, "nothing changed")
	return false, nil
}
