package vlm

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive"
)

// fakeVLM is a test double for the third-party service this package talks
// to (Ollama, vLLM, OpenAI…), which cannot run here: an HTTP server that
// speaks the OpenAI chat completions API. It records each request and
// answers with what the test scripted for that attempt.
type fakeVLM struct {
	t       *testing.T
	srv     *httptest.Server
	mu      sync.Mutex
	reqs    []recorded
	calls   atomic.Int32
	answers []func(w http.ResponseWriter, r *http.Request)
}

type recorded struct {
	path, auth, contentType string
	body                    map[string]any
}

func newFake(t *testing.T, answers ...func(w http.ResponseWriter, r *http.Request)) *fakeVLM {
	f := &fakeVLM{t: t, answers: answers}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(f.calls.Add(1)) - 1
		raw, _ := io.ReadAll(r.Body)
		rec := recorded{path: r.Method + " " + r.URL.Path, auth: r.Header.Get("Authorization"), contentType: r.Header.Get("Content-Type")}
		if err := json.Unmarshal(raw, &rec.body); len(raw) > 0 && err != nil {
			t.Errorf("request body is not JSON: %v", err)
		}
		f.mu.Lock()
		f.reqs = append(f.reqs, rec)
		f.mu.Unlock()
		f.answers[min(n, len(f.answers)-1)](w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeVLM) client(t *testing.T, mod func(*Config)) *Client {
	cfg := Config{BaseURL: f.srv.URL + "/v1/", Model: "qwen2.5vl:7b", APIKey: "sk-secret-123", Backoff: time.Millisecond}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func reply(content string, finish string) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"id": "chatcmpl-1", "object": "chat.completion",
			"choices": []any{map[string]any{"index": 0, "finish_reason": finish, "message": map[string]any{"role": "assistant", "content": content}}},
		})
	}
}

func status(code int, body string, header ...string) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(code)
		io.WriteString(w, body)
	}
}

func testJPEG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 32, 24))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	img.Set(3, 3, color.RGBA{255, 0, 0, 255})
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestDescribeSendsAnOpenAIChatRequest(t *testing.T) {
	f := newFake(t, reply("A red car is parked in the driveway.", "stop"))
	c := f.client(t, func(c *Config) { c.MaxTokens = 300 })
	pic := testJPEG(t)
	got, err := c.Describe(context.Background(), [][]byte{pic, pic}, "What is in this picture?")
	if err != nil {
		t.Fatal(err)
	}
	if got != "A red car is parked in the driveway." {
		t.Fatalf("answer %q", got)
	}
	r := f.reqs[0]
	if r.path != "POST /v1/chat/completions" || r.auth != "Bearer sk-secret-123" || r.contentType != "application/json" {
		t.Fatalf("request %s, auth %q, type %q", r.path, r.auth, r.contentType)
	}
	b := r.body
	if b["model"] != "qwen2.5vl:7b" || b["max_tokens"] != float64(300) || b["stream"] != false || b["response_format"] != nil {
		t.Fatalf("body %v", b)
	}
	msgs := b["messages"].([]any)
	msg := msgs[0].(map[string]any)
	parts := msg["content"].([]any)
	if len(msgs) != 1 || msg["role"] != "user" || len(parts) != 3 {
		t.Fatalf("messages %v", msgs)
	}
	if p := parts[0].(map[string]any); p["type"] != "text" || p["text"] != "What is in this picture?" {
		t.Fatalf("text part %v", p)
	}
	wantURL := "data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(pic)
	for _, p := range parts[1:] {
		p := p.(map[string]any)
		if p["type"] != "image_url" || p["image_url"].(map[string]any)["url"] != wantURL {
			t.Fatalf("image part %.200v", p)
		}
	}
}

func TestNoKeyNoAuthorizationHeader(t *testing.T) {
	f := newFake(t, reply("ok", "stop"))
	c := f.client(t, func(c *Config) { c.APIKey = "" })
	if _, err := c.Describe(context.Background(), nil, "hi"); err != nil {
		t.Fatal(err)
	}
	if f.reqs[0].auth != "" {
		t.Fatalf("Authorization %q sent without a key", f.reqs[0].auth)
	}
}

type verdict struct {
	Match   bool     `json:"match"`
	Objects []string `json:"objects"`
}

func TestAskAsksForJSONAndDecodesIt(t *testing.T) {
	f := newFake(t,
		reply(`{"match": true, "objects": ["car", "person"]}`, "stop"),
		reply("```json\n{\"match\": false, \"objects\": []}\n```", "stop"),
		reply("Sure! The car is red.", "stop"),
		reply(`{"match": true, "obj`, "length"),
	)
	c := f.client(t, nil)
	var v verdict
	if err := c.Ask(context.Background(), [][]byte{testJPEG(t)}, "Is there a red car?", &v); err != nil {
		t.Fatal(err)
	}
	if !v.Match || strings.Join(v.Objects, ",") != "car,person" {
		t.Fatalf("decoded %+v", v)
	}
	b := f.reqs[0].body
	if rf, _ := b["response_format"].(map[string]any); rf["type"] != "json_object" {
		t.Fatalf("response_format %v", b["response_format"])
	}
	text := b["messages"].([]any)[0].(map[string]any)["content"].([]any)[0].(map[string]any)["text"].(string)
	if !strings.HasPrefix(text, "Is there a red car?") || !strings.Contains(text, "JSON") {
		t.Fatalf("prompt %q does not ask for JSON (OpenAI refuses JSON mode then)", text)
	}
	// A Markdown fence around the JSON is tolerated.
	v = verdict{Match: true}
	if err := c.Ask(context.Background(), nil, "Answer in JSON: is there a car?", &v); err != nil || v.Match {
		t.Fatalf("fenced: %+v, %v", v, err)
	}
	// Prose, or JSON cut at the token limit, is a bad answer.
	for range 2 {
		err := c.Ask(context.Background(), nil, "json please", &v)
		if key(err) != keyBadAnswer {
			t.Fatalf("%v; want %s", err, keyBadAnswer)
		}
	}
}

func key(err error) string {
	var e *cam2drive.Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}

func TestErrorsSayWhatIsWrong(t *testing.T) {
	for _, c := range []struct {
		answer func(w http.ResponseWriter, r *http.Request)
		key    string
		code   cam2drive.Code
		detail string
	}{
		{status(401, `{"error":{"message":"Incorrect API key provided: sk-secret-123","type":"invalid_request_error"}}`), keyUnauthorized, cam2drive.CodeUnavailable, "Incorrect API key provided: xxxxx"},
		{status(403, `{"error":"forbidden"}`), keyUnauthorized, cam2drive.CodeUnavailable, "--vlm-key"},
		{status(404, `{"error":{"message":"model \"qwen2.5vl:7b\" not found, try pulling it first"}}`), keyModelNotFound, cam2drive.CodeUnavailable, "try pulling it first"},
		{status(400, `{"detail":"this model does not support images"}`), keyRejected, cam2drive.CodeInvalid, "does not support images"},
		{status(413, "too big"), keyTooLarge, cam2drive.CodeInvalid, "too big"},
		{status(500, "<html>oops</html>"), keyUnavailable, cam2drive.CodeUnavailable, "HTTP 500"},
		{status(429, `{"message":"slow down"}`), keyRateLimited, cam2drive.CodeThrottled, "slow down"},
		{status(200, `{"choices":[]}`), keyBadAnswer, cam2drive.CodeUnavailable, "no choices"},
		{status(200, `not json`), keyBadAnswer, cam2drive.CodeUnavailable, "not a chat completion"},
	} {
		f := newFake(t, c.answer)
		cl := f.client(t, func(cfg *Config) { cfg.Attempts = 1 })
		_, err := cl.Describe(context.Background(), nil, "hi")
		var e *cam2drive.Error
		if !errors.As(err, &e) || e.Key != c.key || e.Code != c.code || !strings.Contains(err.Error(), c.detail) {
			t.Errorf("got %v; want %s (%s) mentioning %q", err, c.key, c.code, c.detail)
		}
		if err != nil && strings.Contains(err.Error(), "sk-secret-123") {
			t.Errorf("the error shows the API key: %v", err)
		}
		if m := Messages[c.key]; m[0] == "" || m[1] == "" {
			t.Errorf("%s has no message for users", c.key)
		}
	}
}

func TestMessagesInEnglishAndFrench(t *testing.T) {
	for k := range codes {
		m, ok := Messages[k]
		if !ok || m[0] == "" || m[1] == "" || m[0] == m[1] {
			t.Errorf("%s: messages %q", k, m)
		}
	}
}

func TestRetriesOverloadAndFailuresWithBackoff(t *testing.T) {
	// Two failures, then an answer: three attempts, one answer.
	f := newFake(t, status(503, "loading model"), status(502, "bad gateway"), reply("a dog", "stop"))
	c := f.client(t, nil)
	got, err := c.Describe(context.Background(), nil, "hi")
	if err != nil || got != "a dog" || f.calls.Load() != 3 {
		t.Fatalf("%q, %v after %d calls", got, err, f.calls.Load())
	}
	// Failing every time: Attempts calls, then the last error.
	f = newFake(t, status(500, "down"))
	c = f.client(t, func(c *Config) { c.Attempts = 4 })
	if _, err := c.Describe(context.Background(), nil, "hi"); key(err) != keyUnavailable || f.calls.Load() != 4 {
		t.Fatalf("%v after %d calls; want %s after 4", err, f.calls.Load(), keyUnavailable)
	}
	// The backoff grows up to MaxWait, and then keeps trying.
	f = newFake(t, status(503, "a"), status(503, "b"), reply("a cat", "stop"))
	c = f.client(t, func(c *Config) { c.Backoff, c.MaxWait = time.Hour, 50*time.Millisecond })
	start := time.Now()
	if got, err := c.Describe(context.Background(), nil, "hi"); err != nil || got != "a cat" || time.Since(start) > 5*time.Second {
		t.Fatalf("%q, %v after %v", got, err, time.Since(start))
	}
	// A wrong key is not tried again.
	f = newFake(t, status(401, "no"))
	c = f.client(t, nil)
	if _, err := c.Describe(context.Background(), nil, "hi"); key(err) != keyUnauthorized || f.calls.Load() != 1 {
		t.Fatalf("%v after %d calls", err, f.calls.Load())
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	f := newFake(t, status(429, "busy", "Retry-After", "1"), reply("ok", "stop"))
	c := f.client(t, nil)
	start := time.Now()
	if _, err := c.Describe(context.Background(), nil, "hi"); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < time.Second {
		t.Fatalf("tried again after %v, the server asked for 1 s", d)
	}
	// Longer than we are willing to wait: give up at once and say when.
	f = newFake(t, status(429, "quota", "Retry-After", "3600"), reply("ok", "stop"))
	c = f.client(t, nil)
	_, err := c.Describe(context.Background(), nil, "hi")
	var e *cam2drive.Error
	if !errors.As(err, &e) || e.Code != cam2drive.CodeThrottled || e.Retry != time.Hour || f.calls.Load() != 1 {
		t.Fatalf("%v (retry %v) after %d calls", err, e.Retry, f.calls.Load())
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if d := parseRetryAfter(now.Add(90*time.Second).Format(http.TimeFormat), now); d != 90*time.Second {
		t.Fatalf("HTTP date: %v", d)
	}
}

func TestSizesAreBounded(t *testing.T) {
	big := strings.Repeat("x", 64<<10)
	f := newFake(t, reply(big, "stop"))
	c := f.client(t, func(c *Config) { c.MaxResponseBytes = 16 << 10; c.Attempts = 1 })
	if _, err := c.Describe(context.Background(), nil, "hi"); key(err) != keyBadAnswer || !strings.Contains(err.Error(), "longer than 16384 bytes") {
		t.Fatalf("huge answer: %v", err)
	}
	pic := testJPEG(t)
	c = f.client(t, func(c *Config) { c.MaxRequestBytes = 2 * len(pic) })
	calls := f.calls.Load()
	if _, err := c.Describe(context.Background(), [][]byte{pic, pic, pic}, "hi"); key(err) != keyTooLarge || f.calls.Load() != calls {
		t.Fatalf("huge request: %v, sent: %v", err, f.calls.Load() != calls)
	}
	if _, err := c.Describe(context.Background(), [][]byte{[]byte("not a picture")}, "hi"); key(err) != keyNotImage || f.calls.Load() != calls {
		t.Fatalf("not a picture: %v", err)
	}
}

// stall answers only when the request is given up.
func stall(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }

func TestTimeoutsAndCancellation(t *testing.T) {
	f := newFake(t, stall)
	c := f.client(t, func(c *Config) { c.Timeout = 100 * time.Millisecond; c.Attempts = 2 })
	start := time.Now()
	if _, err := c.Describe(context.Background(), nil, "hi"); key(err) != keyTimeout || f.calls.Load() != 2 {
		t.Fatalf("%v after %d calls; want %s after 2", err, f.calls.Load(), keyTimeout)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("took %v", d)
	}
	// The caller cancels while the model thinks: a cancellation, at once.
	c = f.client(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start = time.Now()
	if _, err := c.Describe(ctx, nil, "hi"); !errors.Is(err, context.Canceled) || key(err) != "" {
		t.Fatalf("cancelled: %v", err)
	}
	// ... or while waiting to try again.
	f = newFake(t, status(503, "busy", "Retry-After", "20"))
	c = f.client(t, nil)
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	if _, err := c.Describe(ctx, nil, "hi"); !errors.Is(err, context.Canceled) || time.Since(start) > 5*time.Second {
		t.Fatalf("cancelled during backoff: %v after %v", err, time.Since(start))
	}
}

func TestUnreachableServer(t *testing.T) {
	f := newFake(t, reply("ok", "stop"))
	c := f.client(t, func(c *Config) { c.Attempts = 2 })
	f.srv.Close()
	if _, err := c.Describe(context.Background(), nil, "hi"); key(err) != keyUnreachable {
		t.Fatalf("%v; want %s", err, keyUnreachable)
	}
}

func TestTheKeyIsNeverLogged(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f := newFake(t, status(503, `{"error":{"message":"key sk-secret-123 is over quota"}}`), status(401, `{"error":"bad key sk-secret-123"}`))
	c := f.client(t, func(c *Config) { c.Logger = log })
	_, err := c.Describe(context.Background(), nil, "hi")
	log.Info("config", "vlm", c.cfg)
	if err == nil || logs.Len() == 0 {
		t.Fatalf("err %v, logs %q", err, logs.String())
	}
	if strings.Contains(logs.String(), "sk-secret-123") || strings.Contains(err.Error(), "sk-secret-123") {
		t.Fatalf("the key leaked:\n%s\n%v", logs.String(), err)
	}
	if !strings.Contains(logs.String(), "api_key=xxxxx") {
		t.Fatalf("config logged as %q", logs.String())
	}
}

func TestNewChecksTheConfig(t *testing.T) {
	for _, cfg := range []Config{
		{BaseURL: "", Model: "m"},
		{BaseURL: "localhost:11434/v1", Model: "m"},
		{BaseURL: "ftp://host/v1", Model: "m"},
		{BaseURL: "http://user:pw@host/v1", Model: "m"},
		{BaseURL: "http://localhost:11434/v1", Model: " "},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%+v: no error", cfg)
		}
	}
}

func TestCheckFindsTheModel(t *testing.T) {
	models := func(ids ...string) func(w http.ResponseWriter, r *http.Request) {
		return func(w http.ResponseWriter, r *http.Request) {
			var data []map[string]string
			for _, id := range ids {
				data = append(data, map[string]string{"id": id, "object": "model"})
			}
			json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data})
		}
	}
	f := newFake(t, models("llava:latest", "qwen2.5vl:7b"))
	if err := f.client(t, nil).Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r := f.reqs[0]; r.path != "GET /v1/models" || r.auth != "Bearer sk-secret-123" {
		t.Fatalf("request %s auth %q", r.path, r.auth)
	}
	if err := f.client(t, func(c *Config) { c.Model = "llava" }).Check(context.Background()); err != nil {
		t.Fatalf("llava = llava:latest: %v", err)
	}
	err := f.client(t, func(c *Config) { c.Model = "gpt-4o" }).Check(context.Background())
	if key(err) != keyModelNotFound || !strings.Contains(err.Error(), "qwen2.5vl:7b") {
		t.Fatalf("unknown model: %v; want %s listing the served ones", err, keyModelNotFound)
	}
	f = newFake(t, status(401, "no"))
	if err := f.client(t, nil).Check(context.Background()); key(err) != keyUnauthorized || f.calls.Load() != 1 {
		t.Fatalf("wrong key: %v after %d calls", err, f.calls.Load())
	}
}
