exports.handler = async (event) => {
  const records = (event.Records || []).map((r) => r.s3.object.key);
  return { resized: records.length };
};
