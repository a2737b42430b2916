package main

import (
	"io"
	"os"

	"golang.org/x/term"

	"leadwire/bot"
	"leadwire/bot/console"
)

// ChatCmd runs the chat conversation in the terminal, as the --as user:
// the quickest way to try leadwire without a Slack workspace.
type ChatCmd struct {
	Script string `help:"Read the commands from this file instead of standard input." placeholder:"FILE" type:"existingfile"`
}

// Run answers commands until the input ends or "quit". Input that is not
// a terminal is echoed after the prompt, so the output reads like a
// session.
func (c *ChatCmd) Run(a *App) error {
	user, err := a.Person("chat")
	if err != nil {
		return err
	}
	var in io.Reader = os.Stdin
	echo := !term.IsTerminal(int(os.Stdin.Fd()))
	if c.Script != "" {
		f, err := os.Open(c.Script)
		if err != nil {
			return err
		}
		defer f.Close()
		in, echo = f, true
	}
	fonts, err := a.chartFonts()
	if err != nil {
		return err
	}
	conv := bot.NewConversation(a.svc, nil, bot.Options{Log: a.Logger(), Fonts: fonts})
	return console.Run(a.ctx, conv, user, in, a.out, console.Options{Echo: echo})
}
