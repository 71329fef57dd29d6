// Placeholder; replaced by the YAMLNodes stage.
