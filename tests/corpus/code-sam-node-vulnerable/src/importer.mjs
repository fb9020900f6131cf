import { spawnSync } from 'child_process';
import libxmljs from 'libxmljs';
import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';

const s3 = new S3Client({});

export const handler = async (event) => {
  for (const record of event.Records) {
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    const obj = await s3.send(new GetObjectCommand({ Bucket: record.s3.bucket.name, Key: key }));
    const xml = await obj.Body.transformToString();
    const doc = libxmljs.parseXml(xml, { noent: true });
    spawnSync('unzip', ['-o', `/tmp/${key}`], { shell: true });
    console.info('imported', doc.root().name());
  }
};
