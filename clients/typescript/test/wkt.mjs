// A google.protobuf.Timestamp from its JSON form ("2026-12-07T01:02:03.456789Z"), nanoseconds kept.
import { fromJson } from "@bufbuild/protobuf";
import { TimestampSchema } from "@bufbuild/protobuf/wkt";

export const timestampFromJson = (text) => fromJson(TimestampSchema, text);
