// Package vlm asks a vision-language model about pictures through an
// OpenAI-compatible chat completions API (Ollama, vLLM, llama.cpp's server,
// a cloud provider). It is an optional, open-vocabulary engine: off unless
// a URL is configured. Pictures are sent to that URL.
package vlm

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/cam2drive/cam2drive"
)

// Config says where the model is and how patient to be with it.
type Config struct {
	BaseURL string // e.g. http://localhost:11434/v1; {BaseURL}/chat/completions is called
	Model   string // e.g. qwen2.5vl:7b, llava
	APIKey  string // sent as a bearer token; "" = none (local servers)
	// Timeout bounds one attempt, the model's answer included; 0 = 2 min.
	Timeout time.Duration
	// Attempts is how many times a request is tried when the server is
	// overloaded (429) or failing (5xx, no answer); 0 = 3.
	Attempts int
	// Backoff is the wait before the second attempt, doubled after each;
	// 0 = 1 s. A Retry-After header from the server wins, up to MaxWait.
	Backoff time.Duration
	MaxWait time.Duration // longest wait between attempts; 0 = 30 s
	// MaxRequestBytes bounds what is sent (pictures in base64 included);
	// 0 = 20 MiB. MaxResponseBytes bounds what is read; 0 = 1 MiB.
	MaxRequestBytes  int
	MaxResponseBytes int64
	MaxTokens        int          // the answer's length in tokens; 0 = the server's default
	HTTPClient       *http.Client // nil = a client of its own
	Logger           *slog.Logger // nil = no logs
}

// LogValue shows the config without its key.
func (c Config) LogValue() slog.Value {
	key := ""
	if c.APIKey != "" {
		key = "xxxxx"
	}
	return slog.GroupValue(slog.String("url", c.BaseURL), slog.String("model", c.Model), slog.String("api_key", key))
}

// Client talks to one model. It is safe for concurrent use.
type Client struct {
	cfg      Config
	endpoint string
	http     *http.Client
	log      *slog.Logger
}

// CheckSettings says what is wrong with a server address and model, in
// the words of the settings (--vlm-url, --vlm-model); nil when they can work.
func CheckSettings(baseURL, model string) error {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--vlm-url %q is not an http(s) URL (e.g. http://localhost:11434/v1)", baseURL)
	}
	if u.User != nil {
		return fmt.Errorf("--vlm-url must not hold credentials; give the key with CAM2DRIVE_VLM_KEY")
	}
	if strings.TrimSpace(model) == "" {
		return fmt.Errorf("--vlm-url needs --vlm-model (e.g. qwen2.5vl:7b)")
	}
	return nil
}

// New checks cfg and returns a client; it does not contact the server.
func New(cfg Config) (*Client, error) {
	if err := CheckSettings(cfg.BaseURL, cfg.Model); err != nil {
		return nil, err
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 2 * time.Minute
	}
	if cfg.Attempts <= 0 {
		cfg.Attempts = 3
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = time.Second
	}
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = 30 * time.Second
	}
	if cfg.MaxRequestBytes <= 0 {
		cfg.MaxRequestBytes = 20 << 20
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = 1 << 20
	}
	c := &Client{cfg: cfg, endpoint: strings.TrimRight(cfg.BaseURL, "/") + "/chat/completions", http: cfg.HTTPClient, log: cfg.Logger}
	if c.http == nil {
		c.http = &http.Client{}
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	return c, nil
}

// Check asks the server which models it serves (GET {base}/models) and
// whether the configured one is among them: one attempt, to run at start
// so that a wrong URL, key or model shows in the log before users ask.
func (c *Client) Check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, min(c.cfg.Timeout, 30*time.Second))
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(c.endpoint, "/chat/completions")+"/models", nil)
	if err != nil {
		return err
	}
	raw, err := c.do(req)
	if err != nil {
		return err
	}
	var list struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		return newError(keyBadAnswer, 200, fmt.Errorf("not a model list: %v: %.200q", err, raw))
	}
	var ids []string
	for _, m := range list.Data {
		// Ollama lists "llava:latest" for "llava".
		if m.ID == c.cfg.Model || m.ID == c.cfg.Model+":latest" {
			return nil
		}
		ids = append(ids, m.ID)
	}
	return newError(keyModelNotFound, 0, fmt.Errorf("model %q is not among the server's models %v", c.cfg.Model, ids))
}

// Model is the configured model's name.
func (c *Client) Model() string { return c.cfg.Model }

// Describe sends the pictures (JPEG, or PNG/WebP/GIF) with the prompt and
// returns the model's answer as text.
func (c *Client) Describe(ctx context.Context, images [][]byte, prompt string) (string, error) {
	return c.chat(ctx, images, prompt, false)
}

// Ask sends the pictures with the prompt, asks for a JSON object
// (response_format json_object) and decodes the answer into out.
func (c *Client) Ask(ctx context.Context, images [][]byte, prompt string, out any) error {
	// OpenAI refuses JSON mode unless the messages mention JSON.
	if !strings.Contains(strings.ToLower(prompt), "json") {
		prompt += "\nAnswer with a JSON object."
	}
	answer, err := c.chat(ctx, images, prompt, true)
	if err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(stripFence(answer)), out); err != nil {
		return newError(keyBadAnswer, 0, fmt.Errorf("the answer is not the JSON asked for (%v): %.200q", err, answer))
	}
	return nil
}

// fence matches a Markdown code block around a whole answer, which some
// models add even in JSON mode.
var fence = regexp.MustCompile("(?s)^\\s*```[a-zA-Z]*\\s*\n(.*?)\\s*```\\s*$")

func stripFence(s string) string {
	if m := fence.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return s
}

type part struct {
	Type     string    `json:"type"`
	Text     string    `json:"text,omitempty"`
	ImageURL *imageURL `json:"image_url,omitempty"`
}

type imageURL struct {
	URL string `json:"url"`
}

type message struct {
	Role    string `json:"role"`
	Content []part `json:"content"`
}

type request struct {
	Model          string            `json:"model"`
	Messages       []message         `json:"messages"`
	MaxTokens      int               `json:"max_tokens,omitempty"`
	ResponseFormat map[string]string `json:"response_format,omitempty"`
	Stream         bool              `json:"stream"`
}

// body builds the request: one user message, the text first, then each
// picture as a data URL.
func (c *Client) body(images [][]byte, prompt string, asJSON bool) ([]byte, error) {
	parts := []part{{Type: "text", Text: prompt}}
	for i, img := range images {
		mime := http.DetectContentType(img)
		switch mime {
		case "image/jpeg", "image/png", "image/webp", "image/gif":
		default:
			return nil, &cam2drive.Error{Code: cam2drive.CodeInvalid, Key: keyNotImage, Err: fmt.Errorf("picture %d is %s, want JPEG", i+1, mime)}
		}
		parts = append(parts, part{Type: "image_url", ImageURL: &imageURL{URL: "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(img)}})
	}
	req := request{Model: c.cfg.Model, Messages: []message{{Role: "user", Content: parts}}, MaxTokens: c.cfg.MaxTokens}
	if asJSON {
		req.ResponseFormat = map[string]string{"type": "json_object"}
	}
	b, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	if len(b) > c.cfg.MaxRequestBytes {
		return nil, newError(keyTooLarge, 0, fmt.Errorf("request of %d bytes, more than the %d allowed: send fewer or smaller pictures", len(b), c.cfg.MaxRequestBytes))
	}
	return b, nil
}

type response struct {
	Choices []struct {
		Message struct {
			Content json.RawMessage `json:"content"`
		} `json:"message"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
}

// chat sends the request, trying again while the server is overloaded or
// failing, and returns the answer's text.
func (c *Client) chat(ctx context.Context, images [][]byte, prompt string, asJSON bool) (string, error) {
	body, err := c.body(images, prompt, asJSON)
	if err != nil {
		return "", err
	}
	wait := c.cfg.Backoff
	for attempt := 1; ; attempt++ {
		start := time.Now()
		raw, err := c.post(ctx, body)
		if err == nil {
			c.log.Debug("vlm answered", "model", c.cfg.Model, "attempt", attempt, "ms", time.Since(start).Milliseconds())
			return c.answer(raw, asJSON)
		}
		retry, after := retryable(err)
		if !retry || attempt >= c.cfg.Attempts || ctx.Err() != nil {
			c.log.Warn("vlm request failed", "model", c.cfg.Model, "attempt", attempt, "err", err)
			return "", err
		}
		// Jitter: clients failing together try again apart.
		d := min(wait+rand.N(wait/2+1), c.cfg.MaxWait)
		if after > c.cfg.MaxWait {
			c.log.Warn("vlm asks to wait longer than allowed", "model", c.cfg.Model, "wait", after, "max", c.cfg.MaxWait)
			return "", err
		} else if after > 0 {
			d = after
		}
		c.log.Info("vlm request failed, trying again", "model", c.cfg.Model, "attempt", attempt, "wait", d, "err", err)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return "", classifyTransport(ctx.Err(), ctx)
		case <-t.C:
		}
		wait *= 2
	}
}

// post makes one attempt and returns the response body of a 2xx answer.
func (c *Client) post(ctx context.Context, body []byte) ([]byte, error) {
	actx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	return c.do(req)
}

// do sends req with the key and returns the body of a 2xx answer, read up
// to MaxResponseBytes; every other outcome is classified.
func (c *Client) do(req *http.Request) ([]byte, error) {
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "cam2drive/"+cam2drive.Version)
	if c.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, c.redact(classifyTransport(err, req.Context()))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxResponseBytes+1))
	if err != nil {
		return nil, c.redact(classifyTransport(err, req.Context()))
	}
	if int64(len(raw)) > c.cfg.MaxResponseBytes {
		return nil, newError(keyBadAnswer, resp.StatusCode, fmt.Errorf("answer longer than %d bytes", c.cfg.MaxResponseBytes))
	}
	if resp.StatusCode/100 != 2 {
		return nil, c.redact(classifyStatus(resp.StatusCode, raw, resp.Header.Get("Retry-After"), c.cfg.Model))
	}
	return raw, nil
}

// answer reads the text of the first choice.
func (c *Client) answer(raw []byte, asJSON bool) (string, error) {
	var r response
	if err := json.Unmarshal(raw, &r); err != nil {
		return "", newError(keyBadAnswer, 200, fmt.Errorf("not a chat completion: %v: %.200q", err, raw))
	}
	if len(r.Choices) == 0 {
		return "", newError(keyBadAnswer, 200, fmt.Errorf("no choices in the answer: %.200q", raw))
	}
	ch := r.Choices[0]
	text, err := contentText(ch.Message.Content)
	if err != nil {
		return "", newError(keyBadAnswer, 200, err)
	}
	if asJSON && ch.FinishReason == "length" {
		return "", newError(keyBadAnswer, 200, fmt.Errorf("the answer was cut at the model's token limit: %.200q", text))
	}
	return text, nil
}

// contentText accepts a string or a list of text parts.
func contentText(raw json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var parts []part
	if err := json.Unmarshal(raw, &parts); err != nil {
		return "", fmt.Errorf("message content is neither text nor parts: %.200q", raw)
	}
	var sb strings.Builder
	for _, p := range parts {
		sb.WriteString(p.Text)
	}
	return sb.String(), nil
}

// redact removes the key from an error, in case the server echoed it.
func (c *Client) redact(err error) error {
	if c.cfg.APIKey == "" {
		return err
	}
	if e, ok := err.(*cam2drive.Error); ok && e.Err != nil && strings.Contains(e.Err.Error(), c.cfg.APIKey) {
		e.Err = redacted{strings.ReplaceAll(e.Err.Error(), c.cfg.APIKey, "xxxxx"), e.Err}
	}
	return err
}

// redacted keeps the cause for errors.Is (timeouts, cancellation) while
// showing a text without the key.
type redacted struct {
	msg string
	err error
}

func (r redacted) Error() string { return r.msg }
func (r redacted) Unwrap() error { return r.err }
