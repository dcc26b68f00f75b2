// Package detect finds objects in video frames with pretrained models run by
// ONNX Runtime, and maps what the models name (COCO classes) to the types a
// Cam2Drive user filters by: person, vehicle, animal.
package detect

import (
	"context"
	"errors"
)

// Frame is one decoded picture: packed 8-bit RGB, row after row, no padding.
type Frame struct {
	W, H int
	RGB  []byte // len == W*H*3
}

// Object is one thing a model found in one frame.
type Object struct {
	Class string     // the model's label, e.g. "dog", "car", "person"
	Score float32    // 0..1
	Box   [4]float32 // x, y, w, h as fractions (0..1) of the frame
}

// Detector finds objects in frames. Implementations are safe for concurrent
// use unless they say otherwise.
type Detector interface {
	// Detect returns the objects found in f whose score reaches the
	// detector's threshold, best first.
	Detect(ctx context.Context, f Frame) ([]Object, error)
	// InputSize is the longer side, in pixels, of what the model looks at
	// (a square, or a rectangle of the frame's aspect): frames whose longer
	// side is this size are resized the least.
	InputSize() int
	Close() error
}

// ErrUnavailable is returned (wrapped, with what is missing and how to
// install it) when the runtime library or a model file is not there: the
// product runs without AI and says so.
var ErrUnavailable = errors.New("AI unavailable")

// Types a user filters by.
const (
	TypePerson  = "person"
	TypeVehicle = "vehicle"
	TypeAnimal  = "animal"
)

var typeOfClass = map[string]string{
	"person":  TypePerson,
	"bicycle": TypeVehicle, "car": TypeVehicle, "motorcycle": TypeVehicle, "bus": TypeVehicle,
	"truck": TypeVehicle, "train": TypeVehicle, "boat": TypeVehicle, "airplane": TypeVehicle,
	"bird": TypeAnimal, "cat": TypeAnimal, "dog": TypeAnimal, "horse": TypeAnimal, "sheep": TypeAnimal,
	"cow": TypeAnimal, "elephant": TypeAnimal, "bear": TypeAnimal, "zebra": TypeAnimal, "giraffe": TypeAnimal,
}

// TypeOf maps a COCO class to person, vehicle or animal; "" for the other
// classes (a cup, a chair…), which HOLO4 rules may still use.
func TypeOf(class string) string { return typeOfClass[class] }
