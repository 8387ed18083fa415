// Runs the sandboxed JavaScript of gtm/oncehub-bridge.tpl against a fake of the sandbox APIs it requires, the way
// GTM's template tests do (runCode + assertApi), and prints what it did as JSON. Used by tests/unit/test_gtm_template.py:
//   node gtm_sandbox.mjs <template.tpl> <scenario.json>
// scenario: {data: {...fields}, permissions: {inject_script: [urls]}, setInWindowFails: bool}
import { readFileSync } from "node:fs";

const template = readFileSync(process.argv[2], "utf8");
const scenario = JSON.parse(readFileSync(process.argv[3], "utf8"));
const code = template.split("___SANDBOXED_JS_FOR_WEB_TEMPLATE___")[1].split("___WEB_PERMISSIONS___")[0];
const calls = [];
const outcome = { success: 0, failure: 0 };
const window = {};
const apis = {
  injectScript(url, onSuccess, onFailure, cacheToken) {
    calls.push(["injectScript", url, cacheToken]);
    onSuccess();
  },
  setInWindow(key, value, overrideExisting) {
    calls.push(["setInWindow", key, value, overrideExisting]);
    if (scenario.setInWindowFails) return false;
    window[key] = value;
    return true;
  },
  logToConsole(...args) { calls.push(["logToConsole", ...args]); },
  queryPermission(permission, ...args) {
    const granted = (scenario.permissions || {})[permission] || [];
    return granted.includes(args[0]);
  },
};
const data = { ...scenario.data, gtmOnSuccess: () => outcome.success++, gtmOnFailure: () => outcome.failure++ };
const required = [];
function require(name) {
  if (!(name in apis)) throw new Error(`the template requires ${name}, which the sandbox fake does not provide`);
  required.push(name);
  return apis[name];
}
new Function("require", "data", code)(require, data);
process.stdout.write(JSON.stringify({ calls, outcome, window, required }));
