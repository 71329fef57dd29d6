// Placeholder; replaced by the AIOZ stage.
