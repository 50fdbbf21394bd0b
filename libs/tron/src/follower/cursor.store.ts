import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Model } from 'mongoose';

export type FollowerSide = 'head' | 'solidified';

@Schema({ collection: 'chain_cursors', versionKey: false })
export class ChainCursorDoc {
  /** `head` or `solidified` */
  @Prop({ type: String, required: true }) _id!: FollowerSide;
  /** the last block whose effects are written */
  @Prop({ required: true }) number!: number;
  @Prop({ required: true }) updatedAt!: Date;
}

export const ChainCursorSchema = SchemaFactory.createForClass(ChainCursorDoc);

/**
 * The follower's stored position per side. Every instance follows the chain and moves the shared cursor
 * forward only (`$max`), so a restart resumes after the last block any instance finished.
 */
@Injectable()
export class ChainCursorStore {
  constructor(@InjectModel(ChainCursorDoc.name) private readonly model: Model<ChainCursorDoc>) {}

  async read(side: FollowerSide): Promise<number | undefined> {
    const doc = await this.model.findById(side).lean<ChainCursorDoc>();
    return doc?.number;
  }

  async advance(side: FollowerSide, number: number): Promise<void> {
    const write = () =>
      this.model.updateOne(
        { _id: side },
        { $max: { number }, $set: { updatedAt: new Date() } },
        { upsert: true },
      );
    try {
      await write();
    } catch (err) {
      // Two instances creating the cursor at once: one insert wins, the other's update now finds it.
      if ((err as { code?: number }).code !== 11000) throw err;
      await write();
    }
  }
}
