package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"

	"leadwire/cmd/leadwire/config"
	"leadwire/core"
	"leadwire/internal/typeset"
	"leadwire/storage"
)

// App is the wiring shared by every subcommand: configuration, database
// and services, opened on first use and closed once.
type App struct {
	ctx    context.Context
	cli    *CLI
	out    io.Writer
	errOut io.Writer
	getenv func(string) string

	cfg *config.Config
	db  *storage.DB
	svc *core.Service
	log *slog.Logger
	// fonts draw the digest's charts (chartFonts).
	fonts *typeset.Fonts
}

// Config loads the configuration once: --config, $LEADWIRE_CONFIG,
// ./leadwire.yaml, or the built-in defaults; $LEADWIRE_DB overrides the
// database.
func (a *App) Config() (*config.Config, error) {
	if a.cfg != nil {
		return a.cfg, nil
	}
	cfg, err := config.Load(config.Resolve(a.cli.Config, a.getenv, fileExists), a.getenv)
	if err != nil {
		return nil, err
	}
	a.cfg = cfg
	return cfg, nil
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir()
}

// Logger is the process logger: text on stderr.
func (a *App) Logger() *slog.Logger {
	if a.log == nil {
		level := slog.LevelInfo
		if a.cli.Debug {
			level = slog.LevelDebug
		}
		a.log = slog.New(slog.NewTextHandler(a.errOut, &slog.HandlerOptions{Level: level}))
	}
	return a.log
}

// DB opens and migrates the database and applies the configured teams,
// users and pipelines.
func (a *App) DB() (*storage.DB, error) {
	if a.db != nil {
		return a.db, nil
	}
	cfg, err := a.Config()
	if err != nil {
		return nil, err
	}
	db, err := storage.OpenAndMigrate(a.ctx, cfg.Database)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", storage.Redact(cfg.Database), err)
	}
	a.db = db
	svc := core.NewService(db, core.SystemClock{}, cfg.Settings(), a.Logger())
	dir := core.OrgDef{Teams: cfg.Teams(), Users: cfg.Users(), Pipelines: cfg.Pipelines(), Targets: cfg.Targets()}
	if err := svc.Directory.Sync(a.ctx, dir); err != nil {
		return nil, err
	}
	a.svc = svc
	return db, nil
}

// Service returns the pipeline services over the opened database.
func (a *App) Service() (*core.Service, error) {
	if _, err := a.DB(); err != nil {
		return nil, err
	}
	return a.svc, nil
}

// Actor is who the command acts as: the --as user, or the operator, an
// admin without a user record.
func (a *App) Actor() (*core.User, error) {
	svc, err := a.Service()
	if err != nil {
		return nil, err
	}
	if a.cli.As == "" {
		return &core.User{Name: "operator", Role: core.RoleAdmin, Active: true}, nil
	}
	u, err := svc.Directory.UserByEmail(a.ctx, a.cli.As)
	if err != nil {
		return nil, fmt.Errorf("--as %s: %w; see leadwire users list", a.cli.As, err)
	}
	return u, nil
}

// session returns the services and the actor, which most commands need.
func (a *App) session() (*core.Service, *core.User, error) {
	svc, err := a.Service()
	if err != nil {
		return nil, nil, err
	}
	actor, err := a.Actor()
	return svc, actor, err
}

// Person is the --as user; commands that record who did something (claim,
// tasks) need a real one.
func (a *App) Person(what string) (*core.User, error) {
	u, err := a.Actor()
	if err != nil {
		return nil, err
	}
	if u.ID == 0 {
		return nil, core.Errorf(core.KindInvalid, "%s needs a person: add --as EMAIL", what)
	}
	return u, nil
}

// Close closes the database.
func (a *App) Close() {
	if a.db != nil {
		a.db.Close()
	}
}

// JSON writes v as indented JSON.
func (a *App) JSON(v any) error {
	enc := json.NewEncoder(a.out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
