export { field, type Field, type Section, type SectionValue } from "./field.ts";
export { loadConfig, type ConfigValue, type LoadedConfig, type Sections } from "./load.ts";
export { readEnvironment } from "./env.ts";
