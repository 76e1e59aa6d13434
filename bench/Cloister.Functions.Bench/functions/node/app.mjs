// The benchmark's Node.js function: returns the event.
export const handler = async (event) => event;
