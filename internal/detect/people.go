package detect

import "context"

// Keypoint is one body joint a pose model found, as fractions (0..1) of the
// frame, with the model's confidence in it.
type Keypoint struct {
	X, Y  float32
	Score float32
}

// Body joints in the COCO order pose models (MoveNet, PoseNet) use.
const (
	Nose = iota
	LeftEye
	RightEye
	LeftEar
	RightEar
	LeftShoulder
	RightShoulder
	LeftElbow
	RightElbow
	LeftWrist
	RightWrist
	LeftHip
	RightHip
	LeftKnee
	RightKnee
	LeftAnkle
	RightAnkle
	NumKeypoints
)

// Pose is the skeleton of one person the detector found.
type Pose struct {
	Person    Object // the detector's person box the pose was read in
	Keypoints [NumKeypoints]Keypoint
}

// PoseEstimator reads the skeleton of each person in a frame; people are the
// detector's person boxes (a single-person model looks at each crop).
type PoseEstimator interface {
	Poses(ctx context.Context, f Frame, people []Object) ([]Pose, error)
	Close() error
}

// Face is one face found in a frame, with its facial expression when an
// expression model read it ("" otherwise).
type Face struct {
	Box             [4]float32 // x, y, w, h as fractions (0..1) of the frame
	Score           float32
	Expression      string // "happy", "neutral", "sad", "angry", "surprise", "fear", "disgust"
	ExpressionScore float32
}

// FaceReader finds faces and reads their expression.
type FaceReader interface {
	Faces(ctx context.Context, f Frame) ([]Face, error)
	Close() error
}
