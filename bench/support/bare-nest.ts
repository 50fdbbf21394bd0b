import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

/** The baseline of the HTTP bench: NestJS on Express answering a constant JSON, nothing else. */
@Controller()
class OkController {
  @Get('ok')
  ok(): { ok: true } {
    return { ok: true };
  }
}

@Module({ controllers: [OkController] })
class BareModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(BareModule, { logger: false });
  await app.listen(Number(process.argv[2]), '127.0.0.1');
  process.stdout.write('ready\n');
}

void main();
