// After `tsc -p tsconfig.cjs.json`: dist/cjs holds CommonJS in a package whose "type" is "module", so Node and
// TypeScript (module node16/nodenext) must be told that this folder is CommonJS.
import { writeFileSync } from "node:fs";
writeFileSync(new URL("../dist/cjs/package.json", import.meta.url), JSON.stringify({ type: "commonjs" }) + "\n");
