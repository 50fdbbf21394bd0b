import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { ChainFollower } from './chain-follower';
import { ChainCursorDoc, ChainCursorSchema, ChainCursorStore } from './cursor.store';

/** The chain follower and its stored cursors; imported by the libs that subscribe to blocks. */
@Module({
  imports: [MongooseModule.forFeature([{ name: ChainCursorDoc.name, schema: ChainCursorSchema }])],
  providers: [ChainCursorStore, ChainFollower],
  exports: [ChainFollower],
})
export class ChainFollowerModule {}
