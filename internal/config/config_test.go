package config

import (
	"bytes"
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"
)

func parseServe(t *testing.T, args ...string) (Config, error) {
	t.Helper()
	var c Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(new(bytes.Buffer))
	BindServe(fs, &c)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return c, c.Validate()
}

func TestOpenVocabularyEnginesAreOffByDefault(t *testing.T) {
	for _, v := range []string{"CLIP_IMAGE_MODEL", "CLIP_TEXT_MODEL", "CLIP_VOCAB", "VLM_URL", "VLM_MODEL", "VLM_KEY"} {
		t.Setenv("CAM2DRIVE_"+v, "")
	}
	c, err := parseServe(t)
	if err != nil {
		t.Fatal(err)
	}
	if c.CLIPEnabled() || c.VLMEnabled() || len(c.Warnings()) != 0 {
		t.Fatalf("clip %v vlm %v warnings %v", c.CLIPEnabled(), c.VLMEnabled(), c.Warnings())
	}
	if c.VLMTimeout != 2*time.Minute {
		t.Fatalf("vlm timeout %v", c.VLMTimeout)
	}
}

func TestOpenVocabularyFlagsAndEnvironment(t *testing.T) {
	t.Setenv("CAM2DRIVE_VLM_KEY", "sk-from-env")
	t.Setenv("CAM2DRIVE_CLIP_VOCAB", "/m/merges.txt")
	c, err := parseServe(t, "--clip-image-model=/m/image.onnx", "--clip-text-model=/m/text.onnx",
		"--vlm-url=http://localhost:11434/v1", "--vlm-model=qwen2.5vl:7b", "--vlm-timeout=30s")
	if err != nil {
		t.Fatal(err)
	}
	if !c.CLIPEnabled() || c.CLIPImageModel != "/m/image.onnx" || c.CLIPTextModel != "/m/text.onnx" || c.CLIPVocab != "/m/merges.txt" {
		t.Fatalf("clip %+v", c)
	}
	if !c.VLMEnabled() || c.VLMURL != "http://localhost:11434/v1" || c.VLMModel != "qwen2.5vl:7b" || c.VLMKey != "sk-from-env" || c.VLMTimeout != 30*time.Second {
		t.Fatalf("vlm %+v", c.Redacted())
	}
	// A local server and a key from the environment: nothing to warn about.
	if w := c.Warnings(); len(w) != 0 {
		t.Fatalf("warnings %v", w)
	}
}

func TestTheVLMKeyStaysSecret(t *testing.T) {
	t.Setenv("CAM2DRIVE_VLM_KEY", "sk-from-env")
	var c Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var usage bytes.Buffer
	fs.SetOutput(&usage)
	BindServe(fs, &c)
	fs.PrintDefaults()
	if strings.Contains(usage.String(), "sk-from-env") || !strings.Contains(usage.String(), "CAM2DRIVE_VLM_KEY") {
		t.Fatalf("usage shows the key or does not say where to put it:\n%s", usage.String())
	}
	if err := fs.Parse([]string{"--vlm-url=https://api.example.com/v1", "--vlm-model=gpt-4o-mini", "--vlm-key=sk-on-the-command-line"}); err != nil {
		t.Fatal(err)
	}
	if c.VLMKey != "sk-on-the-command-line" {
		t.Fatalf("the flag does not win over the environment: %q", c.VLMKey)
	}
	printed := fmt.Sprintf("%+v", c.Redacted())
	if strings.Contains(printed, "sk-on-the-command-line") || strings.Contains(printed, "sk-from-env") {
		t.Fatalf("redacted config shows a key: %s", printed)
	}
	w := strings.Join(c.Warnings(), "\n")
	if !strings.Contains(w, "process list") || !strings.Contains(w, "api.example.com") || strings.Contains(w, "sk-") {
		t.Fatalf("warnings %q: want the flag's and the remote URL's, without the key", w)
	}
}

func TestOpenVocabularyValidation(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--clip-image-model=/m/i.onnx"}, "go together"},
		{[]string{"--clip-text-model=/m/t.onnx"}, "go together"},
		{[]string{"--clip-vocab=/m/merges.txt"}, "without --clip-image-model"},
		{[]string{"--vlm-model=llava"}, "need --vlm-url"},
		{[]string{"--vlm-key=k"}, "need --vlm-url"},
		{[]string{"--vlm-url=localhost:11434", "--vlm-model=llava"}, "not an http(s) URL"},
		{[]string{"--vlm-url=http://user:pw@host/v1", "--vlm-model=llava"}, "must not hold credentials"},
		{[]string{"--vlm-url=http://localhost:11434/v1"}, "needs --vlm-model"},
		{[]string{"--vlm-url=http://localhost:11434/v1", "--vlm-model=llava", "--vlm-timeout=-1s"}, "--vlm-timeout"},
		{[]string{"--vlm-url=http://localhost:11434/v1", "--vlm-model=llava", "--vlm-timeout=0s"}, "--vlm-timeout"},
	} {
		_, err := parseServe(t, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v; want %q", c.args, err, c.want)
		}
	}
	for _, ok := range [][]string{
		{"--vlm-url=http://127.0.0.1:8000/v1", "--vlm-model=Qwen/Qwen2.5-VL-7B-Instruct"},
		{"--clip-image-model=/m/i.onnx", "--clip-text-model=/m/t.onnx", "--clip-vocab=/m/v.txt.gz"},
	} {
		if _, err := parseServe(t, ok...); err != nil {
			t.Errorf("%v: %v", ok, err)
		}
	}
}
