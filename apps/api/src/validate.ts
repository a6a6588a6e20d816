import { checkRecord, type InputFields, type RecordCheck } from "@pipe/model";

/**
 * Checks one record of a request against the model's input fields (see @pipe/model's `checkRecord`
 * for the rules): errors become a 422 naming each field, warnings go back with the prediction.
 */
export function validateRecord(record: unknown, fields: InputFields, options: { unknownFields?: "reject" | "ignore"; at?: string } = {}): RecordCheck {
  return checkRecord(record, fields, options);
}
