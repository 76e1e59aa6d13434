// A CommonJS handler that answers through the callback.
exports.handler = (event, context, callback) => {
  if (event.fail) {
    callback(new RangeError('callback failure'));
    return;
  }
  setTimeout(() => callback(null, { style: 'callback', remaining: context.getRemainingTimeInMillis() > 0, name: context.functionName }), 5);
};
