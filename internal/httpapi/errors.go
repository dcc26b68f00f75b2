package httpapi

import (
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/cam2drive/cam2drive"
)

// errorBody is the JSON of every error answer.
type errorBody struct {
	Code              string            `json:"code"`
	Message           string            `json:"message"`
	Fields            map[string]string `json:"fields,omitempty"`
	RetryAfterSeconds int               `json:"retry_after_seconds,omitempty"`
}

// status maps a domain code to its HTTP status: the one place where this happens.
func status(code cam2drive.Code) int {
	switch code {
	case cam2drive.CodeInvalid:
		return http.StatusBadRequest
	case cam2drive.CodeUnauthenticated, cam2drive.CodeInvalidCredentials:
		return http.StatusUnauthorized
	case cam2drive.CodeForbidden, codeCSRF:
		return http.StatusForbidden
	case cam2drive.CodeNotFound:
		return http.StatusNotFound
	case cam2drive.CodeConflict:
		return http.StatusConflict
	case cam2drive.CodeThrottled:
		return http.StatusTooManyRequests
	case cam2drive.CodeQuota:
		return http.StatusInsufficientStorage
	case codeTooLarge:
		return http.StatusRequestEntityTooLarge
	case cam2drive.CodeUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

const codeCSRF cam2drive.Code = "csrf"

// writeError answers err as JSON in the caller's language; internal details
// only go to the log.
func (c *call) writeError(err error) {
	var e *cam2drive.Error
	if !errors.As(err, &e) {
		c.log.Error("request failed", "err", err)
		e = &cam2drive.Error{Code: cam2drive.CodeInternal, Key: "internal"}
	} else if e.Err != nil {
		c.log.Info("request refused", "code", e.Code, "err", e)
	}
	body := errorBody{Code: string(e.Code), Message: message(c.lang, keyOf(e))}
	if e.Code == cam2drive.CodeConflict && e.Key != "" && e.Key != "conflict" {
		body.Code = e.Key
	}
	if len(e.Fields) > 0 {
		body.Fields = map[string]string{}
		for f, k := range e.Fields {
			body.Fields[f] = message(c.lang, k)
		}
	}
	if e.Retry > 0 {
		body.RetryAfterSeconds = int(math.Ceil(e.Retry.Seconds()))
		key := "throttled"
		if body.RetryAfterSeconds == 1 {
			key = "throttled_one"
		}
		body.Message = messagef(c.lang, key, body.RetryAfterSeconds)
		c.w.Header().Set("Retry-After", strconv.Itoa(body.RetryAfterSeconds))
	}
	_ = c.json(status(e.Code), body)
}

func keyOf(e *cam2drive.Error) string {
	if e.Key != "" {
		return e.Key
	}
	return string(e.Code)
}
