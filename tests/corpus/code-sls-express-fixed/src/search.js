const { MongoClient } = require('mongodb');

const client = new MongoClient(process.env.MONGO_URL);

function escapeRegex(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

exports.handler = async (event) => {
  const products = client.db('shop').collection('products');
  for (const record of event.Records) {
    const query = JSON.parse(record.body);
    const prefix = escapeRegex(String(query.prefix));
    await products.find({ name: { $regex: `^${prefix}` } }).toArray();
  }
};
