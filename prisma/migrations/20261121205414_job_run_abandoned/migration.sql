-- AlterEnum
ALTER TYPE "job_status" ADD VALUE 'ABANDONED';
