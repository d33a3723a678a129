provider "aws" {
  region = "us-east-1"
}

resource "aws_s3_bucket" "statements" {
  bucket = "customer-statements"
}

resource "aws_cloudtrail" "audit" {
  name                       = "audit"
  s3_bucket_name             = aws_s3_bucket.statements.id
  enable_log_file_validation = false
}
