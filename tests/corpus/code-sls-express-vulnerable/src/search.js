const { MongoClient } = require('mongodb');

const client = new MongoClient(process.env.MONGO_URL);

exports.handler = async (event) => {
  const products = client.db('shop').collection('products');
  for (const record of event.Records) {
    const query = JSON.parse(record.body);
    await products.find({ $where: `this.name.startsWith('${query.prefix}')` }).toArray();
  }
};
