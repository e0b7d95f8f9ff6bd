package main

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strings"
	"syscall"

	"github.com/nats-io/nats.go"
)

// natsErrorCode maps a nats.go error to netsim's codes (sim/transports/nats/nats-error-code.ts).
//
// nats.go's first connect turns "connection refused" into nil and, when no server in the pool
// answered, returns ErrNoServers; an exhausted reconnect also ends with ErrNoServers. nats.js
// reports both as a ConnectionError "connection refused", which netsim codes
// CONNECTION_REFUSED, so ErrNoServers maps there too.
func natsErrorCode(err error) string {
	if err == nil {
		return "ERROR"
	}
	msg := strings.ToLower(err.Error())
	var ne net.Error
	switch {
	case errors.Is(err, nats.ErrAuthorization) || strings.Contains(msg, "authorization violation"):
		return "AUTHORIZATION_VIOLATION"
	case errors.Is(err, nats.ErrNoResponders) || strings.Contains(msg, "no responders"):
		return "NO_RESPONDERS"
	case errors.Is(err, nats.ErrTimeout) || errors.Is(err, context.DeadlineExceeded) ||
		(errors.As(err, &ne) && ne.Timeout()) || strings.Contains(msg, "i/o timeout"):
		return "TIMEOUT"
	case strings.Contains(msg, "permissions violation"):
		return "PERMISSION_VIOLATION"
	case errors.Is(err, nats.ErrConnectionClosed):
		return "CONNECTION_CLOSED"
	case errors.Is(err, syscall.ECONNREFUSED) || strings.Contains(msg, "connection refused") ||
		errors.Is(err, nats.ErrNoServers):
		return "CONNECTION_REFUSED"
	}
	return "ERROR"
}

// hostPort turns a nats.go server URL ("nats://[token@]host:port") into "host:port", the form
// netsim's events name servers by.
func hostPort(s string) string {
	if s == "" {
		return ""
	}
	if !strings.Contains(s, "://") {
		s = "nats://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return u.Host
}
