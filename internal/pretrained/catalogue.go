// Package pretrained is the catalogue of pretrained models Cam2Drive runs and
// their installation: it fetches the ONNX Runtime library and the weights
// from package registries, checks every download against a pinned checksum,
// converts the weights to ONNX once and caches the result in the models dir.
package pretrained

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Package is one npm tarball, pinned by the integrity the registry
// publishes (SRI sha512, as in package-lock.json).
type Package struct {
	Name      string `json:"name"`    // "@vladmandic/human"
	Version   string `json:"version"` // "3.3.6"
	Integrity string `json:"integrity"`
	Size      int64  `json:"size"` // bytes, for progress only
}

// Member is one file taken out of a Package, pinned by its sha256.
type Member struct {
	Path   string `json:"path"` // inside the tarball: "package/models/centernet.json"
	SHA256 string `json:"sha256"`
}

// Model is one entry of the catalogue: where its weights come from and how
// to feed and read it.
type Model struct {
	Name    string   `json:"name"`
	Task    string   `json:"task"`    // "detect"; "pose", "face", "expression" (the HOLO4 rules')
	File    string   `json:"file"`    // ONNX file in the models dir
	SHA256  string   `json:"sha256"`  // of File when it is downloaded as is; "" when converted here
	Source  *Package `json:"source"`  // nil: the operator put File there
	Members []Member `json:"members"` // files of Source the model is made of
	Convert string   `json:"convert"` // "tfjs" (Members[0] is the model.json; the ONNX input gets Input.Layout) or "" (Members[0] is the ONNX file)

	Input   Input    `json:"input"`
	Outputs []string `json:"outputs"` // ONNX output names, in the order the decoder reads them
	Decoder string   `json:"decoder"` // detect: "centernet" or "yolov8"; pose: "movenet"; face: "blazeface"; expression: "softmax"
	// Logits says the CenterNet heat-map output is taken before its sigmoid:
	// the decoder then applies it to the peaks only, not to every cell.
	Logits  bool     `json:"logits"`
	Labels  []string `json:"labels"` // class names by index; empty = COCO 80 (detectors)
	License string   `json:"license"`
}

// Input says what the model looks at.
type Input struct {
	Name   string  `json:"name"`
	Size   int     `json:"size"`   // square side in pixels; with Stride, the longer side
	Layout string  `json:"layout"` // "NHWC" or "NCHW"
	Scale  float32 `json:"scale"`  // pixel value = byte * Scale + Offset (1 = raw 0..255, 1/255 = 0..1)
	Offset float32 `json:"offset"` // -1 with Scale 1/127.5: -1..1
	Gray   bool    `json:"gray"`   // one channel, the luma of RGB (0.2989 R + 0.587 G + 0.114 B)
	// Stride > 0: the model reads any height and width that are multiples
	// of it (a fully convolutional detector), and a frame is letterboxed
	// into the smallest such rectangle with Size on its longer side, not
	// into a square: a 16:9 frame costs 56 % of the square's inference.
	// A TF.js model is then converted with symbolic height and width.
	Stride int `json:"stride"`
}

// Channels is how many values the model reads per pixel.
func (in Input) Channels() int {
	if in.Gray {
		return 1
	}
	return 3
}

// Library is the ONNX Runtime shared library and where it comes from.
type Library struct {
	Source *Package `json:"source"`
	Member Member   `json:"member"`
	File   string   `json:"file"` // inside the models dir
}

// Catalogue is every model Cam2Drive knows, plus the runtime library.
type Catalogue struct {
	Library Library `json:"library"`
	Models  []Model `json:"models"`
	Default string  `json:"default"` // detector used when none is named
}

// OverrideFile is read from the models dir, when present, on top of the
// built-in catalogue: models with a known name replace it, others are added;
// "default" picks the detector.
const OverrideFile = "catalogue.json"

// Builtin is the catalogue compiled into the binary. Checksums were taken
// from the registry's tarballs (integrity) and from their files (sha256).
func Builtin() Catalogue {
	human := &Package{
		Name: "@vladmandic/human", Version: "3.3.6", Size: 28615417,
		Integrity: "sha512-Nr5mPfq1gQ+uKeXY5uM3Fj8UxvF5CEh2s6txM5wRThqaW0mF9huooOuZSrT8hhGho0hGaXLFdAwfD/2+teCv6A==",
	}
	return Catalogue{
		Library: Library{
			Source: &Package{
				Name: "sherpa-onnx-linux-x64", Version: "1.13.8", Size: 11089653,
				Integrity: "sha512-6plnhjagsSeTntCgnlag86hWbs/uZE9Crms1LgOb68/1nKsIQjMd+WG519m+aPwT6TrsBOiEMzrx41t8sL5L5g==",
			},
			Member: Member{Path: "package/libonnxruntime.so", SHA256: "4b3607aebd1784b26b6f9b20e4bd974c7ab8287043e4d095cb7d2cb40b5e566e"},
			File:   "lib/libonnxruntime.so",
		},
		Default: "centernet",
		Models: append([]Model{{
			Name: "centernet", Task: "detect", File: "centernet.onnx",
			Source: human, Convert: "tfjs",
			Members: []Member{
				{Path: "package/models/centernet.json", SHA256: "bfb942eaacc5becf738d536663bc4580a0ae9e560722306e6d4dd7fe4a09de05"},
				{Path: "package/models/centernet.bin", SHA256: "1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef"},
			},
			// TF.js's input is NHWC; converted with an NCHW input the letterbox
			// writes what the convolutions read, sparing a transpose per frame.
			// Stride 32: MobileNetV3 halves the frame five times and the head
			// upsamples back by 2 and concatenates, so both sides must divide
			// by 32 (checked in TestDetectorInputSizes).
			Input: Input{Name: "images", Size: 512, Layout: "NCHW", Scale: 1, Stride: 32},
			// The class logits rather than tower_0/keypoints, their sigmoid:
			// 128×128×80 sigmoids cost ~2 ms a frame, the decoder needs a few.
			Outputs: []string{"tower_0/CenternetHead/centernet_cls_output/BiasAdd", "tower_0/wh"},
			Decoder: "centernet", Logits: true,
			License: "MIT (@vladmandic/human; MobileNetV3 CenterNet by 610265158/mobilenetv3_centernet)",
		}}, holo4Models(human)...),
	}
}

// holo4Models are the pose, face and expression models the HOLO4 rules
// read, from the same package as the detector.
func holo4Models(human *Package) []Model {
	return []Model{{
		Name: "movenet-lightning", Task: "pose", File: "movenet-lightning.onnx",
		Source: human, Convert: "tfjs",
		Members: []Member{
			{Path: "package/models/movenet-lightning.json", SHA256: "df8cbde44d00f533ccc4916a7c6ebc17316532fb3fadad114ec667fef22872e9"},
			{Path: "package/models/movenet-lightning.bin", SHA256: "bf97bc10d9c8a11200b0190ed64ce039b6252f1aff7cb552aca99b3d191c2f34"},
		},
		// One person per run, 17 COCO keypoints (y, x, score) as fractions
		// of the input; the graph normalises the raw 0..255 pixels itself.
		Input:   Input{Name: "input", Size: 192, Layout: "NHWC", Scale: 1},
		Outputs: []string{"Identity"},
		Decoder: "movenet",
		License: "Apache-2.0 (MoveNet SinglePose Lightning by Google, via @vladmandic/human, MIT)",
	}, {
		Name: "blazeface", Task: "face", File: "blazeface.onnx",
		Source: human, Convert: "tfjs",
		Members: []Member{
			{Path: "package/models/blazeface.json", SHA256: "cd7bbfc078270572beb39f9e5ae67aadbd50b5e67cff37e6d4f6b3ea39312e5f"},
			{Path: "package/models/blazeface.bin", SHA256: "dc9a97fdc50bc43216554bdd69aa3e7b9361a519ee7bdd996a2f69a98a6f9b72"},
		},
		Input: Input{Name: "input", Size: 256, Layout: "NCHW", Scale: 1 / 127.5, Offset: -1},
		// Scores and boxes of the 16×16 grid (2 anchors a cell), then of the
		// 8×8 grid (6 anchors a cell), in the anchors' order.
		Outputs: []string{"Identity", "Identity_2", "Identity_1", "Identity_3"},
		Decoder: "blazeface",
		License: "Apache-2.0 (BlazeFace by Google MediaPipe, via @vladmandic/human, MIT)",
	}, {
		Name: "emotion", Task: "expression", File: "emotion.onnx",
		Source: human, Convert: "tfjs",
		Members: []Member{
			{Path: "package/models/emotion.json", SHA256: "56f7e557eb0c863a8b9ab04ac7ccba756e93bf2c27dce135ef0e8712b80b7ad2"},
			{Path: "package/models/emotion.bin", SHA256: "927ac8224f356ab1e68c2bcfbfa07b0c8567047d1bcf817388ba6e38214c4987"},
		},
		// A face crop in grey, -1..1, as human's gear/emotion.ts feeds it.
		Input:   Input{Name: "input", Size: 64, Layout: "NHWC", Scale: 2.0 / 255, Offset: -1, Gray: true},
		Outputs: []string{"Identity"},
		Decoder: "softmax",
		// The order of human's gear/emotion.ts for this one-channel model
		// (oarriaga's FER-2013 classes).
		Labels:  []string{"angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"},
		License: "MIT (mini-Xception by oarriaga/face_classification, via @vladmandic/human, MIT)",
	}}
}

// Load is the built-in catalogue with dir's override file applied.
func Load(dir string) (Catalogue, error) {
	c := Builtin()
	b, err := os.ReadFile(filepath.Join(dir, OverrideFile))
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, err
	}
	var o struct {
		Default string  `json:"default"`
		Models  []Model `json:"models"`
	}
	if err := json.Unmarshal(b, &o); err != nil {
		return c, fmt.Errorf("%s: %w", filepath.Join(dir, OverrideFile), err)
	}
	for _, m := range o.Models {
		if err := m.validate(); err != nil {
			return c, fmt.Errorf("%s: %w", filepath.Join(dir, OverrideFile), err)
		}
		c.put(m)
	}
	if o.Default != "" {
		c.Default = o.Default
	}
	return c, nil
}

func (c *Catalogue) put(m Model) {
	for i := range c.Models {
		if c.Models[i].Name == m.Name {
			c.Models[i] = m
			return
		}
	}
	c.Models = append(c.Models, m)
}

// ForTask is the catalogue's first model for a task ("pose", "face",
// "expression"): the built-in one, or an operator's that replaced it.
func (c Catalogue) ForTask(task string) (Model, bool) {
	for _, m := range c.Models {
		if m.Task == task {
			return m, true
		}
	}
	return Model{}, false
}

// Model finds a model by name ("" = the default detector).
func (c Catalogue) Model(name string) (Model, bool) {
	if name == "" {
		name = c.Default
	}
	for _, m := range c.Models {
		if m.Name == name {
			return m, true
		}
	}
	return Model{}, false
}

func (m Model) validate() error {
	switch {
	case m.Name == "" || m.File == "":
		return errors.New("a model needs a name and a file")
	case filepath.IsAbs(m.File) || !filepath.IsLocal(m.File):
		return fmt.Errorf("model %s: file %q must be inside the models dir", m.Name, m.File)
	case m.Input.Size <= 0 || (m.Input.Layout != "NHWC" && m.Input.Layout != "NCHW"):
		return fmt.Errorf("model %s: input needs a size and a layout NHWC or NCHW", m.Name)
	case m.Input.Stride < 0 || (m.Input.Stride > 0 && m.Input.Size%m.Input.Stride != 0):
		return fmt.Errorf("model %s: input size %d is no multiple of its stride %d", m.Name, m.Input.Size, m.Input.Stride)
	case decoderTask[m.Decoder] == "":
		return fmt.Errorf("model %s: decoder %q (want centernet, yolov8, movenet, blazeface or softmax)", m.Name, m.Decoder)
	case m.Task != "" && m.Task != decoderTask[m.Decoder]:
		return fmt.Errorf("model %s: decoder %s reads a %s model, not a %s one", m.Name, m.Decoder, decoderTask[m.Decoder], m.Task)
	case m.Source != nil && (m.Source.Integrity == "" || len(m.Members) == 0):
		return fmt.Errorf("model %s: a source needs its integrity and the members to take", m.Name)
	}
	for _, mb := range m.Members {
		if len(mb.SHA256) != 64 {
			return fmt.Errorf("model %s: member %s needs its sha256", m.Name, mb.Path)
		}
	}
	return nil
}

// decoderTask is the task each decoder reads the outputs of.
var decoderTask = map[string]string{
	"centernet": "detect", "yolov8": "detect", "movenet": "pose", "blazeface": "face", "softmax": "expression",
}

// ClassLabels is the model's labels, COCO's 80 when it names none.
func (m Model) ClassLabels() []string {
	if len(m.Labels) > 0 {
		return m.Labels
	}
	return COCO
}

// COCO is the 80 classes of the COCO detection challenge, in the order
// COCO-trained detectors number them.
var COCO = []string{
	"person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat", "traffic light",
	"fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog", "horse", "sheep", "cow",
	"elephant", "bear", "zebra", "giraffe", "backpack", "umbrella", "handbag", "tie", "suitcase", "frisbee",
	"skis", "snowboard", "sports ball", "kite", "baseball bat", "baseball glove", "skateboard", "surfboard", "tennis racket", "bottle",
	"wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple", "sandwich", "orange",
	"broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch", "potted plant", "bed",
	"dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard", "cell phone", "microwave", "oven",
	"toaster", "sink", "refrigerator", "book", "clock", "vase", "scissors", "teddy bear", "hair drier", "toothbrush",
}
