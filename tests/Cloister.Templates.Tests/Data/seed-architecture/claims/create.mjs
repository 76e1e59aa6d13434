export const handler = async () => ({ statusCode: 201, body: "{}" });
