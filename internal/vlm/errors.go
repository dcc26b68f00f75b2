package vlm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cam2drive/cam2drive"
)

// Message keys of the errors this package returns (cam2drive.Error.Key).
const (
	keyUnauthorized  = "vlm_unauthorized"
	keyModelNotFound = "vlm_model_not_found"
	keyRateLimited   = "vlm_rate_limited"
	keyUnavailable   = "vlm_unavailable"
	keyUnreachable   = "vlm_unreachable"
	keyTimeout       = "vlm_timeout"
	keyBadAnswer     = "vlm_bad_answer"
	keyRejected      = "vlm_rejected"
	keyTooLarge      = "vlm_too_large"
	keyNotImage      = "vlm_not_image"
)

var codes = map[string]cam2drive.Code{
	keyUnauthorized:  cam2drive.CodeUnavailable, // the operator's key, not the user's sign-in
	keyModelNotFound: cam2drive.CodeUnavailable,
	keyRateLimited:   cam2drive.CodeThrottled,
	keyUnavailable:   cam2drive.CodeUnavailable,
	keyUnreachable:   cam2drive.CodeUnavailable,
	keyTimeout:       cam2drive.CodeUnavailable,
	keyBadAnswer:     cam2drive.CodeUnavailable,
	keyRejected:      cam2drive.CodeInvalid,
	keyTooLarge:      cam2drive.CodeInvalid,
	keyNotImage:      cam2drive.CodeInvalid,
}

// Messages are the texts users see for this package's errors, English then
// French, by key; the protocol adapters add them to their own tables.
var Messages = map[string][2]string{
	keyUnauthorized:  {"The AI service refused this server's API key. Ask the administrator of this Cam2Drive server to check the key.", "Le service d'IA a refusé la clé d'API de ce serveur. Demandez à l'administrateur de ce serveur Cam2Drive de vérifier la clé."},
	keyModelNotFound: {"The AI model set on this server is not available on the AI service. Ask the administrator to check the model name and address.", "Le modèle d'IA configuré sur ce serveur n'est pas disponible sur le service d'IA. Demandez à l'administrateur de vérifier le nom du modèle et l'adresse."},
	keyRateLimited:   {"The AI service is busy. Try again in a moment.", "Le service d'IA est occupé. Réessayez dans un instant."},
	keyUnavailable:   {"The AI service is not working right now. Try again later.", "Le service d'IA ne fonctionne pas pour le moment. Réessayez plus tard."},
	keyUnreachable:   {"This server cannot reach the AI service. Try again later; if it lasts, ask the administrator.", "Ce serveur n'arrive pas à joindre le service d'IA. Réessayez plus tard ; si cela dure, prévenez l'administrateur."},
	keyTimeout:       {"The AI service took too long to answer. Try again, with a shorter period or fewer cameras.", "Le service d'IA a mis trop de temps à répondre. Réessayez, avec une période plus courte ou moins de caméras."},
	keyBadAnswer:     {"The AI service gave an answer that could not be read. Try again.", "Le service d'IA a donné une réponse illisible. Réessayez."},
	keyRejected:      {"The AI service rejected the request; its model may not accept pictures. Ask the administrator.", "Le service d'IA a refusé la requête ; son modèle n'accepte peut-être pas les images. Prévenez l'administrateur."},
	keyTooLarge:      {"Too many or too large pictures for the AI service. Choose a shorter period.", "Trop d'images, ou des images trop grandes, pour le service d'IA. Choisissez une période plus courte."},
	keyNotImage:      {"A picture could not be sent to the AI service: it is not a JPEG image.", "Une image n'a pas pu être envoyée au service d'IA : ce n'est pas une image JPEG."},
}

func newError(key string, status int, err error) *cam2drive.Error {
	if status != 0 {
		err = fmt.Errorf("HTTP %d: %w", status, err)
	}
	return &cam2drive.Error{Code: codes[key], Key: key, Err: err}
}

// classifyStatus is the one place where the server's HTTP answers become
// errors: the key says what a user is told, the cause (with the server's
// own message) goes to the logs.
func classifyStatus(status int, body []byte, retryAfter, model string) error {
	msg := errors.New(serverMessage(body))
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return newError(keyUnauthorized, status, fmt.Errorf("wrong or missing API key (--vlm-key / CAM2DRIVE_VLM_KEY): %w", msg))
	case status == http.StatusNotFound:
		return newError(keyModelNotFound, status, fmt.Errorf("model %q not found, or --vlm-url does not end with the API's base path (e.g. /v1): %w", model, msg))
	case status == http.StatusRequestTimeout || status == http.StatusGatewayTimeout:
		return newError(keyTimeout, status, msg)
	case status == http.StatusRequestEntityTooLarge:
		return newError(keyTooLarge, status, msg)
	case status == http.StatusTooManyRequests:
		e := newError(keyRateLimited, status, msg)
		e.Retry = parseRetryAfter(retryAfter, time.Now())
		return e
	case status >= 500:
		e := newError(keyUnavailable, status, msg)
		e.Retry = parseRetryAfter(retryAfter, time.Now())
		return e
	}
	return newError(keyRejected, status, msg)
}

// classifyTransport maps an error of the HTTP exchange itself. A caller's
// cancellation stays a plain cancellation.
func classifyTransport(err error, attempt context.Context) error {
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("vlm: %w", err)
	case errors.Is(err, context.DeadlineExceeded) || attempt.Err() != nil || (errors.As(err, &ne) && ne.Timeout()):
		return newError(keyTimeout, 0, err)
	}
	return newError(keyUnreachable, 0, err)
}

// retryable tells whether err may go away by trying again, and how long the
// server asked to wait.
func retryable(err error) (bool, time.Duration) {
	var e *cam2drive.Error
	if !errors.As(err, &e) {
		return false, 0
	}
	switch e.Key {
	case keyRateLimited, keyUnavailable, keyUnreachable, keyTimeout:
		return true, e.Retry
	}
	return false, 0
}

// parseRetryAfter reads seconds or an HTTP date; 0 when absent or past.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil {
		return time.Duration(max(s, 0)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// serverMessage finds the explanation in an error body, whichever of the
// usual shapes it has: OpenAI's {"error":{"message"}}, {"error":"…"},
// FastAPI's {"detail"}, or plain text.
func serverMessage(body []byte) string {
	var v struct {
		Error   json.RawMessage `json:"error"`
		Detail  json.RawMessage `json:"detail"`
		Message string          `json:"message"`
	}
	text := strings.TrimSpace(string(body))
	if json.Unmarshal(body, &v) == nil {
		var inner struct {
			Message string `json:"message"`
		}
		var s string
		switch {
		case json.Unmarshal(v.Error, &inner) == nil && inner.Message != "":
			text = inner.Message
		case json.Unmarshal(v.Error, &s) == nil && s != "":
			text = s
		case json.Unmarshal(v.Detail, &s) == nil && s != "":
			text = s
		case len(v.Detail) > 0:
			text = string(v.Detail)
		case v.Message != "":
			text = v.Message
		}
	}
	if len(text) > 300 {
		text = text[:300] + "…"
	}
	if text == "" {
		text = "no message"
	}
	return text
}
