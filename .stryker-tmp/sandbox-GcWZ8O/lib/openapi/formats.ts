// @ts-nocheck
// The JSON Schema formats every validator of the project uses: ajv-formats' full set, with
// `date-time` replaced by one that only accepts instants Date can hold (lib/date-time.ts).
// Validators compiled to code by the build require this module by path.
import { fullFormats } from 'ajv-formats/dist/formats';
import { dateTimeFormat } from '../date-time';

export const formats = { ...fullFormats, 'date-time': dateTimeFormat };
