package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
)

// FerretDB v1 runs findAndModify and conditional updates as a read followed by a separate write, so two
// concurrent "claim this document if it is still free" commands can both succeed. MongoDB guarantees that a
// single-document update is atomic, and the service's safety rules depend on it. The serializer restores that
// guarantee for the embedded engine: it sits in front of FerretDB and lets one command at a time through,
// from request to complete reply, across all client connections. SQLite writes one transaction at a time
// anyway, so the cost is small for an embedded, single-node engine.

const (
	headerLen      = 16
	opMsg          = 2013
	flagMoreToCome = 1 << 1
	maxMessageLen  = 48 * 1024 * 1024
)

type serializer struct {
	backend string
	gate    sync.Mutex
	logger  *slog.Logger
}

func (s *serializer) serve(l net.Listener) {
	for {
		client, err := l.Accept()
		if err != nil {
			return
		}
		go s.handle(client)
	}
}

func (s *serializer) handle(client net.Conn) {
	defer client.Close()
	server, err := net.Dial("tcp", s.backend)
	if err != nil {
		s.logger.Error("backend dial failed", "error", err)
		return
	}
	defer server.Close()

	for {
		request, err := readMessage(client)
		if err != nil {
			if !errors.Is(err, io.EOF) {
				s.logger.Debug("client read", "error", err)
			}
			return
		}
		if err := s.roundTrip(request, client, server); err != nil {
			s.logger.Debug("round trip", "error", err)
			return
		}
	}
}

// roundTrip forwards one request and every reply it produces while holding the gate.
func (s *serializer) roundTrip(request []byte, client, server net.Conn) error {
	s.gate.Lock()
	defer s.gate.Unlock()

	if _, err := server.Write(request); err != nil {
		return err
	}
	if moreToCome(request) {
		return nil // fire-and-forget: the server sends no reply
	}
	for {
		reply, err := readMessage(server)
		if err != nil {
			return err
		}
		if _, err := client.Write(reply); err != nil {
			return err
		}
		if !moreToCome(reply) {
			return nil
		}
	}
}

func readMessage(r io.Reader) ([]byte, error) {
	header := make([]byte, headerLen)
	if _, err := io.ReadFull(r, header); err != nil {
		return nil, err
	}
	length := int(binary.LittleEndian.Uint32(header[0:4]))
	if length < headerLen || length > maxMessageLen {
		return nil, fmt.Errorf("invalid message length %d", length)
	}
	message := make([]byte, length)
	copy(message, header)
	if _, err := io.ReadFull(r, message[headerLen:]); err != nil {
		return nil, err
	}
	return message, nil
}

func moreToCome(message []byte) bool {
	if binary.LittleEndian.Uint32(message[12:16]) != opMsg || len(message) < headerLen+4 {
		return false
	}
	return binary.LittleEndian.Uint32(message[16:20])&flagMoreToCome != 0
}
