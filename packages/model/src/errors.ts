/** Base class of every error @pipe/model throws. */
export class ModelError extends Error {
  override name = "ModelError";
}

/** A model file that is missing, damaged, tampered with or of another format version. */
export class ModelFileError extends ModelError {
  override name = "ModelFileError";
}

/** A record handed to the predictor does not fit the model's feature schema. */
export class FeatureError extends ModelError {
  override name = "FeatureError";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
