#!/usr/bin/env python3
"""A real S3 implementation (moto's server) for the Aionvision upload tests.

  moto-s3.py serve                       start moto on a free loopback port, print it, run until stdin closes
  moto-s3.py prepare PORT KEY PARTS      create a bucket and a multipart upload; print the upload id and
                                         a presigned (SigV4) upload_part URL per part, as JSON
  moto-s3.py finish PORT KEY UPLOAD ETAGS_JSON
                                         complete the upload with the ETags; print the object's size and MD5
"""
import hashlib
import json
import socket
import sys

BUCKET = "streamplan-test"


def client(port):
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{port}",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )


def serve():
    from moto.server import ThreadedMotoServer

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    print(port, flush=True)
    sys.stdin.read()
    server.stop()


def prepare(port, key, parts):
    s3 = client(port)
    s3.create_bucket(Bucket=BUCKET)
    upload = s3.create_multipart_upload(Bucket=BUCKET, Key=key, ContentType="video/mp4")["UploadId"]
    urls = [
        s3.generate_presigned_url(
            "upload_part",
            Params={"Bucket": BUCKET, "Key": key, "UploadId": upload, "PartNumber": number},
            ExpiresIn=600,
        )
        for number in range(1, int(parts) + 1)
    ]
    print(json.dumps({"upload_id": upload, "urls": urls}))


def finish(port, key, upload, etags):
    s3 = client(port)
    parts = [{"PartNumber": i + 1, "ETag": etag} for i, etag in enumerate(json.loads(etags))]
    s3.complete_multipart_upload(Bucket=BUCKET, Key=key, UploadId=upload, MultipartUpload={"Parts": parts})
    body = s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    print(json.dumps({"size": len(body), "md5": hashlib.md5(body).hexdigest()}))


if __name__ == "__main__":
    command, arguments = sys.argv[1], sys.argv[2:]
    {"serve": serve, "prepare": prepare, "finish": finish}[command](*arguments)
