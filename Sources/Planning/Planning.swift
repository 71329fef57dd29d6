// Placeholder; replaced by the Planning stage.
